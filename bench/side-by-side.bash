# The shared start of the scripts that run dllab against PyTorch (sourced, not run): goes to the repository root,
# builds dllab, checks for Debian's PyTorch and sets what both sides run with. Defines root, out (bench-out/) and
# java_run (a JVM with the launcher's settings for 'run' and the built classes, for the bench/*.java programs).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./dllab --version > /dev/null   # build first, outside the timings
/usr/bin/python3 -c 'import torch' 2>/dev/null || { echo "needs /usr/bin/python3 with torch (apt-get install python3-torch)" >&2; exit 1; }
# Both sides get the launcher's malloc settings: without them glibc returns large freed blocks to the system and
# every step pays page faults again (PyTorch's Adam here: 5 ms a step instead of 0.4 ms, depending on which
# allocations happened to raise glibc's dynamic threshold first; docs/benchmarks.md, "Phase by phase").
export MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=4294967296 MALLOC_TOP_PAD_=536870912 OPENBLAS_NUM_THREADS=1
# the launcher's JVM settings for 'run' (see ./dllab): the parallel collector, OpenMP threads that sleep when idle
# (dllab side only: PyTorch runs with its own defaults)
java_run=(env OMP_WAIT_POLICY=PASSIVE java -XX:+UseParallelGC ${JAVA_OPTS:-} -Dai.djl.offline=true -DOPT_OUT_TRACKING=true
  -cp "cli/target/dllab-cli.jar:cli/target/lib/*")
out="$root/bench-out"; mkdir -p "$out"
