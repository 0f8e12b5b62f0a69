"""
Regenerates tests/etl/slomix_reference.json: Slomix's own parser (iamez/slomix @
9bf6b566d8580809f1336c27a87989ba34f434db) run on every file of shared/samples/etl, as
shared/docs/etl-format.md section 11 describes. Not run by the tests; kept so the reference can be
rebuilt: copy bot/__init__.py, bot/community_stats_parser.py, bot/core/{__init__,guid_utils,
round_contract}.py and bot/stats/{__init__,calculator}.py of that commit under /tmp/slomix_ref, a
stub discord.py (`class Embed: pass`) under /tmp/slomix_ref/stub, the sample files under
/tmp/slomix_ref/files, and run `python3 slomix_reference.py` from anywhere (it works in an empty
directory, /tmp/slomix_ref/run, so Slomix's relative local_stats/ lookup finds nothing).
"""
import json, os, sys
sys.path.insert(0, "/tmp/slomix_ref"); sys.path.insert(0, "/tmp/slomix_ref/stub")
from bot.community_stats_parser import C0RNP0RN3StatsParser
os.chdir("/tmp/slomix_ref/run")
p = C0RNP0RN3StatsParser()
out = {}
d = "/tmp/slomix_ref/files"
for name in sorted(os.listdir(d)):
    r = p.parse_stats_file(os.path.join(d, name))
    if not r.get("success"):
        out[name] = {"success": False, "error": r.get("error")}
        continue
    players = {}
    for pl in r.get("players", []):
        o = pl.get("objective_stats", {})
        players[pl["guid"]] = {
            "name": pl.get("name"), "kills": pl.get("kills"), "deaths": pl.get("deaths"),
            "damage_given": pl.get("damage_given"), "damage_received": pl.get("damage_received"),
            "headshots": pl.get("headshots"), "time_played_seconds": pl.get("time_played_seconds"),
            "shots_total": pl.get("shots_total"), "hits_total": pl.get("hits_total"),
            "gibs": o.get("gibs"), "xp": o.get("xp"), "revives_given": o.get("revives_given"),
            "tank_meatshield": o.get("tank_meatshield"), "time_dead_minutes": o.get("time_dead_minutes"),
            "reset_fallback": bool(pl.get("r2_counter_reset_fallback")),
        }
    out[name] = {"success": True, "round": r.get("round_num"), "orphan": bool(r.get("is_orphan_r2")),
                 "differential": bool(r.get("differential_calculation")), "r1": os.path.basename(r.get("r1_filename") or "") or None,
                 "players": players}
json.dump(out, open("/tmp/slomix_ref/reference.json", "w"), separators=(",", ":"), sort_keys=True)
print(sum(1 for v in out.values() if v.get("differential")), "diff", sum(1 for v in out.values() if v.get("orphan")), "orphan", sum(1 for v in out.values() if not v["success"]), "fail")
