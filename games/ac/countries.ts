/**
 * Countries as AC's content names them (`"country": "Italy"` in ui_track.json / ui_car.json, or an
 * ISO code), and their flag emoji. Pure.
 */

/** Country names (lower case) as AC content writes them, to ISO 3166 alpha-2 codes. */
const CODES: Record<string, string> = {
  argentina: "AR",
  australia: "AU",
  austria: "AT",
  azerbaijan: "AZ",
  bahrain: "BH",
  belgium: "BE",
  brazil: "BR",
  canada: "CA",
  china: "CN",
  croatia: "HR",
  "czech republic": "CZ",
  czechia: "CZ",
  denmark: "DK",
  england: "GB",
  finland: "FI",
  france: "FR",
  germany: "DE",
  "great britain": "GB",
  greece: "GR",
  hungary: "HU",
  india: "IN",
  indonesia: "ID",
  ireland: "IE",
  italy: "IT",
  japan: "JP",
  korea: "KR",
  "south korea": "KR",
  malaysia: "MY",
  mexico: "MX",
  monaco: "MC",
  morocco: "MA",
  netherlands: "NL",
  "the netherlands": "NL",
  holland: "NL",
  "new zealand": "NZ",
  norway: "NO",
  poland: "PL",
  portugal: "PT",
  qatar: "QA",
  romania: "RO",
  russia: "RU",
  "san marino": "SM",
  "saudi arabia": "SA",
  scotland: "GB",
  singapore: "SG",
  slovakia: "SK",
  slovenia: "SI",
  "south africa": "ZA",
  spain: "ES",
  sweden: "SE",
  switzerland: "CH",
  thailand: "TH",
  turkey: "TR",
  "united arab emirates": "AE",
  uae: "AE",
  "united kingdom": "GB",
  uk: "GB",
  "united states": "US",
  "united states of america": "US",
  usa: "US",
  wales: "GB",
};

/** The ISO 3166 alpha-2 code of a country name or code, or null when unknown. */
export function countryCode(country: string | undefined): string | null {
  if (!country) return null;
  const t = country.trim();
  if (/^[A-Za-z]{2}$/.test(t)) return t.toUpperCase();
  return CODES[t.toLowerCase().replace(/\s+/g, " ")] ?? null;
}

/** 🇮🇹 for "Italy" or "IT"; "" when the country is unknown. */
export function flagEmoji(country: string | undefined): string {
  const code = countryCode(country);
  if (!code) return "";
  return String.fromCodePoint(...[...code].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}
