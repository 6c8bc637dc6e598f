#!/usr/bin/env python3
"""Counts each mutant once over several PIT runs of the same homework (docs/homework.md, "Mutation testing").

The public tests run against every mutant; the hidden tests that train run, on a reduced budget, only against the
classes the public tests cannot reach. The first report names the mutants (give the public run's, which mutates
every class); a mutant is killed when any run killed it (KILLED, TIMED_OUT or MEMORY_ERROR, as PIT counts).

    python3 grading/pit-union.py public.xml hidden.xml [--survivors]
"""
import sys
import xml.etree.ElementTree as ET

KILLED = {"KILLED", "TIMED_OUT", "MEMORY_ERROR"}


def key(m):
    """Identifies a mutant across runs: where it is, which mutator, and which bytecode instructions it changed."""
    where = tuple(m.findtext(f) for f in ("mutatedClass", "mutatedMethod", "methodDescription", "lineNumber"))
    what = tuple(" ".join(e.text for e in m.iter(f)) for f in ("index", "block"))
    return where + (m.findtext("mutator"),) + what + (m.findtext("description"),)


def main(argv):
    files = [a for a in argv if not a.startswith("--")]
    if not files:
        sys.exit(__doc__)
    status = {key(m): m.get("status") for m in ET.parse(files[0]).getroot()}
    for f in files[1:]:
        for m in ET.parse(f).getroot():
            k = key(m)
            if k in status and status[k] not in KILLED and m.get("status") != "NO_COVERAGE":
                status[k] = m.get("status")  # killed, or at least reached, by a later run
    killed = sum(1 for s in status.values() if s in KILLED)
    print(f"{len(status)} mutants, {killed} killed: {100.0 * killed / len(status):.1f} %")
    if "--survivors" in argv:
        for k, s in sorted(status.items()):
            if s not in KILLED:
                print(f"  {s:12} {k[0].rsplit('.', 1)[-1]}.{k[1]} line {k[3]}: {k[-1]}")


if __name__ == "__main__":
    main(sys.argv[1:])
