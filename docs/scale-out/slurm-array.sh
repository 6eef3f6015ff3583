#!/bin/bash
# kvmcheck verify as a Slurm job array: array task i runs shard i of n (the
# array's size) and writes results/shard-i.json. Submit from a checkout (or
# set KVMCHECK to the installed command); extra arguments go to verify:
#   jobid=$(sbatch --parsable docs/scale-out/slurm-array.sh --param vcpus=3)
#   sbatch --dependency=afterany:$jobid --wrap 'kvmcheck merge results/shard-*.json --out results/merged.json'
# Keep the array 1-based (--array=1-N): the task id is the shard index.
#SBATCH --job-name=kvmcheck-verify
#SBATCH --array=1-8
#SBATCH --cpus-per-task=2
#SBATCH --mem=12G
#SBATCH --time=04:00:00
#SBATCH --output=kvmcheck-verify-%A_%a.out

set -uo pipefail
read -r -a kvmcheck <<<"${KVMCHECK:-node bin/kvmcheck.js}"
results=${RESULTS:-results}
mkdir -p "$results"
"${kvmcheck[@]}" verify --shard "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT" \
  --jobs "${SLURM_CPUS_PER_TASK:-1}" --no-tui "$@" \
  --out "$results/shard-$SLURM_ARRAY_TASK_ID.json"
status=$?
# 1 means a verdict differs from its expectation: a result (in the file), not a failed task
[ "$status" -le 1 ] || exit "$status"
