#!/usr/bin/env python3
"""Check docs/EXPORTS.md against def/ws2_32.def and the built DLL.

usage: check_export_table.py DEF TABLE DLL

Fails (exit 1) unless
  - the table has exactly one row per name the def file exports (none missing, none extra, no
    duplicates), each with the def file's pinned ordinal (or "-") and a known status;
  - `partial` rows say in their notes what is missing, `not yet` rows name their issue;
  - `x86_64-w64-mingw32-objdump -p DLL` shows every def name exported, at its pinned ordinal.
"""
import re
import subprocess
import sys

STATUSES = ("implemented", "partial", "not yet")
OBJDUMP = "x86_64-w64-mingw32-objdump"


def read_def(path):
    """Names in order, and {name: ordinal} for the pinned ones."""
    names, ordinals, in_exports = [], {}, False
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split(";", 1)[0].strip()
            if not line:
                continue
            if line.upper() == "EXPORTS":
                in_exports = True
                continue
            if not in_exports or line.upper().startswith("LIBRARY"):
                continue
            fields = line.split()
            names.append(fields[0])
            pinned = [x for x in fields[1:] if x.startswith("@")]
            if pinned:
                ordinals[fields[0]] = int(pinned[0][1:])
    return names, ordinals


def read_table(path):
    """Rows of the `| name | ordinal | status | notes |` table, as (line number, cells)."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line.startswith("|"):
                continue
            cells = [c.strip() for c in line.strip("|").split("|")]
            if len(cells) != 4 or set(cells[0]) <= set("-: ") or cells[0] == "name":
                continue
            cells[0] = cells[0].strip("`")
            rows.append((number, cells))
    return rows


def read_dll_exports(path):
    """{name: ordinal} from objdump's export tables."""
    try:
        text = subprocess.run([OBJDUMP, "-p", path], check=True, capture_output=True,
                              text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f"FAIL: cannot read the exports of {path}: {e}")
    base = re.search(r"^Ordinal Base\s+(\d+)", text, re.M)
    table = re.search(r"^\[Ordinal/Name Pointer\] Table\n((?:\s+\[.*\n)*)", text, re.M)
    if not base or not table:
        sys.exit(f"FAIL: {path} has no export table")
    exports = {}
    for m in re.finditer(r"\[\s*(\d+)\]\s+(\S+)", table.group(1)):
        exports[m.group(2)] = int(m.group(1)) + int(base.group(1))
    return exports


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    def_path, table_path, dll_path = sys.argv[1:]
    errors = []

    names, pinned = read_def(def_path)
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        errors.append(f"{def_path}: names listed twice: {', '.join(dupes)}")
    def_set = set(names)

    rows = read_table(table_path)
    seen, counts = {}, {s: 0 for s in STATUSES}
    for number, (name, ordinal, status, notes) in rows:
        where = f"{table_path}:{number}"
        if name in seen:
            errors.append(f"{where}: {name} is already listed on line {seen[name]}")
            continue
        seen[name] = number
        if name not in def_set:
            errors.append(f"{where}: {name} is not exported by {def_path}")
            continue
        want = str(pinned[name]) if name in pinned else "-"
        if ordinal != want:
            errors.append(f"{where}: {name} has ordinal '{ordinal}', the def file says '{want}'")
        if status not in STATUSES:
            errors.append(f"{where}: {name} has status '{status}', not one of {STATUSES}")
            continue
        counts[status] += 1
        if status == "partial" and not notes:
            errors.append(f"{where}: {name} is partial but the notes do not say what is missing")
        if status == "not yet" and not re.search(r"\bissue \d+", notes):
            errors.append(f"{where}: {name} is not yet implemented but names no issue")
    missing = [n for n in names if n not in seen]
    if missing:
        errors.append(f"{table_path}: no row for {', '.join(missing)}")

    exports = read_dll_exports(dll_path)
    unexported = [n for n in names if n not in exports]
    if unexported:
        errors.append(f"{dll_path}: does not export {', '.join(unexported)}")
    for name, ordinal in sorted(pinned.items()):
        if name in exports and exports[name] != ordinal:
            errors.append(f"{dll_path}: {name} is at ordinal {exports[name]}, not {ordinal}")

    exported = sum(1 for n in def_set if n in exports)
    print(f"exports: {len(def_set)} in def, {exported} exported, {counts['implemented']} "
          f"implemented, {counts['partial']} partial, {counts['not yet']} not yet")
    if errors:
        for e in errors:
            print(f"FAIL: {e}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
