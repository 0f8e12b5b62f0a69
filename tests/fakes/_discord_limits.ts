/**
 * Discord's message limits as the fake enforces them (docs/discord.md section 4): a message that
 * breaks one gets Discord's 400 50035 "Invalid Form Body" with the offending field's path.
 */

/** Discord's documented limits, counted in code points. */
export const MESSAGE_LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  total: 6000,
  nonce: 25,
} as const;

const len = (s: unknown) => typeof s === "string" ? [...s].length : 0;

interface EmbedLike {
  title?: string;
  description?: string;
  fields?: { name?: string; value?: string }[];
  footer?: { text?: string };
  author?: { name?: string };
}

/** The first limit `body` breaks, as a dotted path and Discord's message, or null when it fits. */
export function messageLimitError(body: Record<string, unknown>): { path: string; message: string } | null {
  const max = (path: string, n: number) => ({ path, message: `Must be ${n} or fewer in length.` });
  if (len(body.content) > MESSAGE_LIMITS.content) return max("content", MESSAGE_LIMITS.content);
  const nonce = body.nonce;
  if (typeof nonce === "string" && len(nonce) > MESSAGE_LIMITS.nonce) {
    return max("nonce", MESSAGE_LIMITS.nonce);
  }
  const embeds = (Array.isArray(body.embeds) ? body.embeds : []) as EmbedLike[];
  if (embeds.length > MESSAGE_LIMITS.embeds) return max("embeds", MESSAGE_LIMITS.embeds);
  let total = 0;
  for (const [i, e] of embeds.entries()) {
    const at = `embeds.${i}`;
    if (len(e.title) > MESSAGE_LIMITS.title) return max(`${at}.title`, MESSAGE_LIMITS.title);
    if (len(e.description) > MESSAGE_LIMITS.description) {
      return max(`${at}.description`, MESSAGE_LIMITS.description);
    }
    if (len(e.footer?.text) > MESSAGE_LIMITS.footer) return max(`${at}.footer.text`, MESSAGE_LIMITS.footer);
    if (len(e.author?.name) > MESSAGE_LIMITS.author) return max(`${at}.author.name`, MESSAGE_LIMITS.author);
    const fields = e.fields ?? [];
    if (fields.length > MESSAGE_LIMITS.fields) return max(`${at}.fields`, MESSAGE_LIMITS.fields);
    for (const [j, f] of fields.entries()) {
      if (!len(f.name) || !len(f.value)) {
        return { path: `${at}.fields.${j}`, message: "This field is required" };
      }
      if (len(f.name) > MESSAGE_LIMITS.fieldName) {
        return max(`${at}.fields.${j}.name`, MESSAGE_LIMITS.fieldName);
      }
      if (len(f.value) > MESSAGE_LIMITS.fieldValue) {
        return max(`${at}.fields.${j}.value`, MESSAGE_LIMITS.fieldValue);
      }
      total += len(f.name) + len(f.value);
    }
    total += len(e.title) + len(e.description) + len(e.footer?.text) + len(e.author?.name);
  }
  if (total > MESSAGE_LIMITS.total) {
    return { path: "embeds", message: `Embed size exceeds maximum size of ${MESSAGE_LIMITS.total}` };
  }
  return null;
}

/** Discord's nested error object for one path: `{ embeds: { 0: { title: { _errors: [...] } } } }`. */
export function formErrors(path: string, message: string): Record<string, unknown> {
  const leaf = { _errors: [{ code: "BASE_TYPE_MAX_LENGTH", message }] };
  return path.split(".").reduceRight<Record<string, unknown>>((acc, part) => ({ [part]: acc }), leaf);
}
