/**
 * Delivery's state for `/status` and `/api/health`, without loading delivery itself:
 * discord/delivery.ts pulls in the REST client (0.4-1 s to load here), which the server loads only
 * after it answers its first request.
 */
export { type DeliveryStatus, deliveryStatus } from "@/discord/_delivery_util.ts";
