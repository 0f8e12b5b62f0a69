/**
 * ACC `trackName` ids (1.8+, 25 ids) and their display names. 2020–2021 servers append the
 * content year (`monza_2020`, `silverstone_2019`); records key on the base id so they survive
 * server updates (docs/racing-formats.md B9).
 */

const ACC_TRACKS: ReadonlyMap<string, string> = new Map([
  ["barcelona", "Barcelona"],
  ["brands_hatch", "Brands Hatch"],
  ["cota", "Circuit of the Americas"],
  ["donington", "Donington Park"],
  ["hungaroring", "Hungaroring"],
  ["imola", "Imola"],
  ["indianapolis", "Indianapolis"],
  ["kyalami", "Kyalami"],
  ["laguna_seca", "Laguna Seca"],
  ["misano", "Misano"],
  ["monza", "Monza"],
  ["mount_panorama", "Mount Panorama"],
  ["nurburgring", "Nürburgring"],
  ["nurburgring_24h", "Nürburgring 24h"],
  ["oulton_park", "Oulton Park"],
  ["paul_ricard", "Paul Ricard"],
  ["red_bull_ring", "Red Bull Ring"],
  ["silverstone", "Silverstone"],
  ["snetterton", "Snetterton"],
  ["spa", "Spa-Francorchamps"],
  ["suzuka", "Suzuka"],
  ["valencia", "Valencia"],
  ["watkins_glen", "Watkins Glen"],
  ["zandvoort", "Zandvoort"],
  ["zolder", "Zolder"],
]);

const YEAR_SUFFIX = /_20\d\d$/;

/** The track id without the content-year suffix 2020–2021 servers add (`monza_2020` → `monza`). */
export function baseAccTrack(id: string): string {
  return id.replace(YEAR_SUFFIX, "");
}

/** A display name for an ACC track id (with or without a year suffix); unknown ids are title-cased. */
export function accTrackName(id: string): string {
  const base = baseAccTrack(id);
  const known = ACC_TRACKS.get(base);
  if (known) return known;
  const words = base.split(/[_\s]+/).filter(Boolean);
  return words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join(" ") || id;
}
