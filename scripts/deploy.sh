#!/usr/bin/env bash
# Deploys one environment's rendered manifests (dist/<env>/) to its cluster, with guards against
# touching the wrong cluster, then verifies rollouts and health and prints how to reach the platform.
# Facts about the environment (namespace, kube context, Secrets, checks) come from build/describe.js,
# which reads config/ and dist/, so this script never parses YAML. Run with --help for usage.
set -Eeuo pipefail
if ((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] < 404)); then
  echo "error: bash 4.4 or newer is needed (this is $BASH_VERSION; on macOS: brew install bash)" >&2
  exit 3
fi
shopt -s inherit_errexit

readonly EXIT_OK=0 EXIT_FAILED=1 EXIT_USAGE=2 EXIT_PREREQUISITE=3 EXIT_CONTEXT=4 EXIT_NOT_CONFIRMED=5
readonly EXIT_SECRETS=6 EXIT_APPLY=7 EXIT_ROLLOUT=8 EXIT_HEALTH=9 EXIT_DIFFERENCES=10
readonly FIELD_MANAGER=suoke-deploy

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly ROOT
readonly CONFIG_DIR=${SUOKE_CONFIG_DIR:-$ROOT/config}
readonly DIST_DIR=${SUOKE_DIST_DIR:-$ROOT/dist}
readonly ENV_FILE=${SUOKE_ENV_FILE:-$ROOT/.env}
readonly DESCRIBE=$ROOT/build/describe.js

say() { printf '%s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
  local code=$1
  shift
  printf 'error: %s\n' "$@" >&2
  exit "$code"
}

# Processes and files this run creates; removed on exit, whatever the outcome.
FORWARD_PIDS=()
TEMP_PATHS=()
# shellcheck disable=SC2317 # called by the EXIT trap, which shellcheck 0.9 does not follow
cleanup() {
  local pid
  for pid in "${FORWARD_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if ((${#TEMP_PATHS[@]} > 0)); then rm -rf "${TEMP_PATHS[@]}"; fi
}
trap cleanup EXIT
trap 'printf "error: unexpected failure (status %s) at line %s: %s\n" "$?" "$LINENO" "$BASH_COMMAND" >&2; exit "$EXIT_FAILED"' ERR

list_environments() {
  local file name
  for file in "$CONFIG_DIR"/*.yaml; do
    name=$(basename "$file" .yaml)
    [[ -e $file && $name != base ]] && printf '%s\n' "$name"
  done
  return 0
}

usage() {
  local environments
  environments=$(list_environments | paste -sd ' ' -)
  cat <<EOF
usage: scripts/deploy.sh <env> [--dry-run] [--diff] [--yes] [--timeout DURATION]

Applies dist/<env>/ to the cluster of the environment's kube context, then waits for every rollout,
checks health through the Services and prints how to reach the platform.

environments (from config/): ${environments:-none}

  --dry-run           server-side dry run of the apply, and what would be pruned; changes nothing
  --diff              kubectl diff of dist/<env>/ against the cluster; changes nothing
  --yes, -y           do not ask for confirmation (environments with deploy.requireConfirmation)
  --timeout DURATION  how long to wait for each rollout, e.g. 90s, 5m (default: deploy.rolloutTimeout)
  --help, -h          this text

safety: the current kubectl context must be the environment's deploy.kubeContext, or nothing is
touched; every kubectl call then names that context explicitly. After a healthy rollout, objects
removed from dist/<env>/ are pruned: only those labelled app.kubernetes.io/part-of=suoke-life and
app.kubernetes.io/instance=suoke-life-<env>, in the environment's namespace, of the kinds
build/describe.js lists; never the Namespace, Secrets or PersistentVolumeClaims, and a ConfigMap
only once no ReplicaSet, ControllerRevision, Job or pod references it (rollback keeps its config).

exit status:
   0  deployed and healthy (--dry-run: accepted; --diff: no differences)
   1  unexpected failure
   2  usage error or unknown environment
   3  a prerequisite is missing: kubectl, node, the cluster, valid config/ or dist/<env>/
   4  the current kube context is not the environment's; nothing was touched
   5  confirmation required and not given; nothing was applied
   6  required Secrets are missing (only the Namespace may have been created)
   7  the cluster rejected the apply, dry run or diff
   8  a rollout failed or timed out
   9  a health check failed
  10  --diff found differences

environment variables:
  SUOKE_ENV_FILE    file of KEY=value lines read when creating missing Secrets (default: .env,
                    which must be git-ignored); only where deploy.createMissingSecrets is true
  SUOKE_CONFIG_DIR, SUOKE_DIST_DIR   other config/ and dist/ folders (default: the repository's)
EOF
}

# --- command line ------------------------------------------------------------------------------

ENVIRONMENT=''
DRY_RUN=false
DIFF=false
ASSUME_YES=false
TIMEOUT=''
while (($# > 0)); do
  case $1 in
    --help | -h)
      usage
      exit "$EXIT_OK"
      ;;
    --dry-run) DRY_RUN=true ;;
    --diff) DIFF=true ;;
    --yes | -y) ASSUME_YES=true ;;
    --timeout)
      (($# >= 2)) || die "$EXIT_USAGE" '--timeout needs a duration such as 90s or 5m'
      TIMEOUT=$2
      shift
      ;;
    --timeout=*) TIMEOUT=${1#--timeout=} ;;
    -*) die "$EXIT_USAGE" "unknown option $1 (see --help)" ;;
    *)
      [[ -z $ENVIRONMENT ]] || die "$EXIT_USAGE" "one environment at a time: got $ENVIRONMENT and $1"
      ENVIRONMENT=$1
      ;;
  esac
  shift
done
[[ -n $ENVIRONMENT ]] || die "$EXIT_USAGE" 'which environment? (see --help)'
if [[ -n $TIMEOUT && ! $TIMEOUT =~ ^([0-9]+[hms])+$ ]]; then
  die "$EXIT_USAGE" "--timeout: expected a duration such as 90s, 5m or 1h30m, found '$TIMEOUT'"
fi
ENVIRONMENTS=$(list_environments)
if ! grep -qxF -- "$ENVIRONMENT" <<<"$ENVIRONMENTS"; then
  die "$EXIT_USAGE" "unknown environment '$ENVIRONMENT': config/ defines $(paste -sd ' ' - <<<"$ENVIRONMENTS")"
fi
readonly ENVIRONMENT DRY_RUN DIFF ASSUME_YES
CHANGES_CLUSTER=true
if $DRY_RUN || $DIFF; then CHANGES_CLUSTER=false; fi
readonly CHANGES_CLUSTER

# --- facts about the environment ------------------------------------------------------------------

command -v node >/dev/null || die "$EXIT_PREREQUISITE" 'node is not on PATH (Node.js 20+ is needed to read config/)'
sources=()
for dir in "$ROOT/lib" "$ROOT/scripts" "$ROOT/charts"; do [[ -d $dir ]] && sources+=("$dir"); done
if [[ ! -f $DESCRIBE || (${#sources[@]} -gt 0 && -n $(find "${sources[@]}" -name '*.ts' -newer "$DESCRIBE" -print -quit)) ]]; then
  say "building build/describe.js (npm run build)"
  (cd "$ROOT" && npm run -s build) || die "$EXIT_PREREQUISITE" 'npm run build failed; run npm ci first'
fi

facts_status=0
FACTS=$(node "$DESCRIBE" facts "$ENVIRONMENT" --config "$CONFIG_DIR" --dist "$DIST_DIR") || facts_status=$?
case $facts_status in
  0) ;;
  2) die "$EXIT_USAGE" "build/describe.js does not know environment '$ENVIRONMENT'" ;;
  *) die "$EXIT_PREREQUISITE" "config/ or dist/$ENVIRONMENT/ is not deployable (see above); fix it and run npm run synth" ;;
esac

NAMESPACE='' CONTEXT='' SELECTOR='' CONFIRM=no DEFAULT_TIMEOUT=5m CREATE_SECRETS=no SECRETS_MODE=external
STORE_KIND='' STORE_NAME='' OBJECT_COUNT=0
FILES=() PRUNE_TYPES=() KEEP_REFERENCED=() ROLLOUTS=() EXTERNAL_SECRETS=() SECRET_KEYS=() HEALTH_CHECKS=()
ACCESS_LINES=() NAMESPACE_MANIFEST=''
declare -A CREATE_COMMANDS=() OBJECTS=()
while IFS=$'\t' read -r type a b c d e; do
  case $type in
    namespace) NAMESPACE=$a ;;
    context) CONTEXT=$a ;;
    selector) SELECTOR=$a ;;
    confirm) CONFIRM=$a ;;
    timeout) DEFAULT_TIMEOUT=$a ;;
    create-secrets) CREATE_SECRETS=$a ;;
    secrets-mode) SECRETS_MODE=$a ;;
    secret-store) STORE_KIND=$a STORE_NAME=$b ;;
    objects) OBJECT_COUNT=$a ;;
    file) FILES+=("$DIST_DIR/$ENVIRONMENT/$a") ;;
    prune-type) PRUNE_TYPES+=("$a") ;;
    keep-referenced) KEEP_REFERENCED+=("$a") ;;
    object) OBJECTS[$a]=yes ;;
    rollout) ROLLOUTS+=("$a/$b") ;;
    externalsecret) EXTERNAL_SECRETS+=("$a") ;;
    secret) SECRET_KEYS+=("$a"$'\t'"$b"$'\t'"$c"$'\t'"$d") ;;
    create) CREATE_COMMANDS[$a]=$b ;;
    health) HEALTH_CHECKS+=("$a"$'\t'"$b"$'\t'"$c"$'\t'"$d"$'\t'"$e") ;;
    namespace-manifest) NAMESPACE_MANIFEST=$a ;;
    access) if [[ $a == - ]]; then ACCESS_LINES+=(''); else ACCESS_LINES+=("$a"); fi ;;
    environment) ;;
    *) warn "ignoring unknown fact '$type' from build/describe.js" ;;
  esac
done <<<"$FACTS"
[[ -n $NAMESPACE && -n $CONTEXT && -n $SELECTOR && ${#FILES[@]} -gt 0 ]] ||
  die "$EXIT_PREREQUISITE" "build/describe.js gave incomplete facts for $ENVIRONMENT; run npm run build"
readonly NAMESPACE CONTEXT SELECTOR CONFIRM SECRETS_MODE STORE_KIND STORE_NAME CREATE_SECRETS
TIMEOUT=${TIMEOUT:-$DEFAULT_TIMEOUT}
readonly TIMEOUT

# --- the cluster: the right one, reachable ------------------------------------------------------

command -v kubectl >/dev/null || die "$EXIT_PREREQUISITE" 'kubectl is not on PATH; install kubectl 1.26 or newer'
current_context=$(kubectl config current-context 2>/dev/null) || current_context=''
if [[ $current_context != "$CONTEXT" ]]; then
  die "$EXIT_CONTEXT" \
    "refusing to touch the cluster: the current kubectl context is '${current_context:-(none)}', but $ENVIRONMENT deploys only to context '$CONTEXT' (deploy.kubeContext in config/)." \
    "nothing was applied. Switch with: kubectl config use-context $CONTEXT"
fi
# Every call names the verified context, so switching contexts in another terminal cannot redirect this run.
KUBECTL=(kubectl --context "$CONTEXT")
NS_KUBECTL=(kubectl --context "$CONTEXT" --namespace "$NAMESPACE")
readonly KUBECTL NS_KUBECTL

if ! reach_error=$("${KUBECTL[@]}" --request-timeout=15s get --raw=/readyz 2>&1 >/dev/null); then
  die "$EXIT_PREREQUISITE" "cannot reach the cluster of context '$CONTEXT': ${reach_error%%$'\n'*}"
fi

if [[ $DIST_DIR == "$ROOT/dist" && $CONFIG_DIR == "$ROOT/config" ]] && git -C "$ROOT" rev-parse --is-inside-work-tree &>/dev/null; then
  if [[ -n $(git -C "$ROOT" status --porcelain -- "dist/$ENVIRONMENT" config 2>/dev/null) ]]; then
    warn "dist/$ENVIRONMENT/ or config/ has uncommitted changes: deploying what is on disk, not what was reviewed"
  fi
fi

say "environment $ENVIRONMENT: context $CONTEXT, namespace $NAMESPACE, $OBJECT_COUNT objects in ${#FILES[@]} files"

# --- Secrets ------------------------------------------------------------------------------------

namespace_exists() {
  [[ -n $("${KUBECTL[@]}" get namespace "$NAMESPACE" --ignore-not-found -o name) ]]
}

# Prints the missing required keys, one "secret<TAB>key<TAB>envVar<TAB>purpose<TAB>secret-exists" a line.
missing_secret_keys() {
  local listing entry secret key keys var purpose
  # Names and keys only: the template never touches a value. (SC2016: $k is template syntax.)
  # shellcheck disable=SC2016
  listing=$("${NS_KUBECTL[@]}" get secrets --ignore-not-found \
    -o go-template='{{range .items}}{{.metadata.name}}{{range $k, $v := .data}} {{$k}}{{end}}{{"\n"}}{{end}}') ||
    die "$EXIT_PREREQUISITE" "cannot list the Secrets of namespace $NAMESPACE (kubectl above); the deploy needs to read their key names"
  declare -A present=() exists=()
  while read -r secret keys; do
    [[ -n $secret ]] || continue
    exists[$secret]=yes
    for key in $keys; do present[$secret/$key]=yes; done
  done <<<"$listing"
  for entry in "${SECRET_KEYS[@]}"; do
    IFS=$'\t' read -r secret key var purpose <<<"$entry"
    if [[ -z ${present[$secret/$key]:-} ]]; then
      printf '%s\t%s\t%s\t%s\t%s\n' "$secret" "$key" "$var" "$purpose" "${exists[$secret]:-no}"
    fi
  done
}

report_missing_secrets() {
  local missing=$1 secret key var purpose exists
  declare -A shown=()
  printf '%s required Secret key(s) missing in namespace %s:\n' "$(grep -c . <<<"$missing")" "$NAMESPACE" >&2
  while IFS=$'\t' read -r secret key var purpose exists; do
    printf '  %-45s %s%s\n' "$secret/$key" "$purpose" "$([[ $exists == yes ]] || printf ' (no Secret %s)' "$secret")" >&2
  done <<<"$missing"
  printf 'create them (each value is read from the environment variable named, never typed into the command):\n' >&2
  while IFS=$'\t' read -r secret key var purpose exists; do
    if [[ $exists == no && -z ${shown[$secret]:-} ]]; then
      shown[$secret]=yes
      printf '  %s\n' "${CREATE_COMMANDS[$secret]}" >&2
    elif [[ $exists == yes ]]; then
      printf '  kubectl --context %s -n %s patch secret %s --type=merge -p "{\\"stringData\\":{\\"%s\\":\\"$%s\\"}}"\n' "$CONTEXT" "$NAMESPACE" "$secret" "$key" "$var" >&2
    fi
  done <<<"$missing"
}

# Values for dev Secrets: the environment first, then the git-ignored env file. Never printed.
declare -A ENV_FILE_VALUES=()
read_env_file() {
  local line name value dir
  [[ -f $ENV_FILE ]] || return 0
  dir=$(dirname "$ENV_FILE")
  if git -C "$dir" rev-parse --is-inside-work-tree &>/dev/null && ! git -C "$dir" check-ignore -q "$ENV_FILE"; then
    die "$EXIT_PREREQUISITE" "$ENV_FILE is not git-ignored; refusing to read Secret values from it"
  fi
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    name=${BASH_REMATCH[2]}
    value=${BASH_REMATCH[3]}
    if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then value=${BASH_REMATCH[1]}; fi
    ENV_FILE_VALUES[$name]=$value
  done <"$ENV_FILE"
}

value_of() {
  local name=$1
  if [[ -n ${!name:-} ]]; then
    printf '%s' "${!name}"
  else
    printf '%s' "${ENV_FILE_VALUES[$name]:-}"
  fi
}

# Creates each wholly missing Secret whose values are all available. Values go through files in a
# private temporary folder, so they appear in no command line and no log.
create_missing_secrets() {
  local missing=$1 secret key var purpose exists entry dir value created=0
  declare -A wanted=()
  while IFS=$'\t' read -r secret key var purpose exists; do
    if [[ $exists == no ]]; then wanted[$secret]=yes; fi
  done <<<"$missing"
  ((${#wanted[@]} > 0)) || return 0
  read_env_file
  dir=$(umask 077 && mktemp -d)
  TEMP_PATHS+=("$dir")
  for secret in $(printf '%s\n' "${!wanted[@]}" | sort); do
    local args=() vars=() complete=true owner
    for entry in "${SECRET_KEYS[@]}"; do
      IFS=$'\t' read -r owner key var purpose <<<"$entry"
      [[ $owner == "$secret" ]] || continue
      value=$(value_of "$var")
      if [[ -z $value ]]; then
        complete=false
        continue
      fi
      printf '%s' "$value" >"$dir/$secret.$key"
      args+=("--from-file=$key=$dir/$secret.$key")
      vars+=("$var")
    done
    if $complete; then
      "${NS_KUBECTL[@]}" create secret generic "$secret" "${args[@]}" >/dev/null
      say "created Secret $secret from ${vars[*]}"
      created=$((created + 1))
    fi
  done
  rm -rf "$dir"
  ((created > 0)) || say "no Secret created: set the variables named below (environment or $ENV_FILE)"
}

if [[ $SECRETS_MODE == external-secrets ]]; then
  "${KUBECTL[@]}" get crd externalsecrets.external-secrets.io -o name >/dev/null 2>&1 ||
    die "$EXIT_PREREQUISITE" "the External Secrets Operator is not installed in context $CONTEXT (no CRD externalsecrets.external-secrets.io)"
  if [[ $STORE_KIND == ClusterSecretStore ]]; then
    store_lookup=("${KUBECTL[@]}" get clustersecretstore "$STORE_NAME" -o name)
  else
    store_lookup=("${NS_KUBECTL[@]}" get secretstore "$STORE_NAME" -o name)
  fi
  "${store_lookup[@]}" >/dev/null 2>&1 ||
    die "$EXIT_PREREQUISITE" "the $STORE_KIND '$STORE_NAME' that the ExternalSecrets read from does not exist (security.secretStore in config/)"
fi

# --- confirmation -------------------------------------------------------------------------------

if $CHANGES_CLUSTER && [[ $CONFIRM == yes ]] && ! $ASSUME_YES; then
  summary="about to apply $OBJECT_COUNT objects of dist/$ENVIRONMENT/ to namespace $NAMESPACE in context $CONTEXT, pruning objects selected by $SELECTOR"
  if [[ -t 0 ]]; then
    say "$summary"
    read -r -p "type '$ENVIRONMENT' to continue: " answer || answer=''
    [[ $answer == "$ENVIRONMENT" ]] || die "$EXIT_NOT_CONFIRMED" "not confirmed (got '$answer'); nothing was applied"
  else
    die "$EXIT_NOT_CONFIRMED" "$ENVIRONMENT requires confirmation: re-run with --yes, or from a terminal to confirm interactively; nothing was applied"
  fi
fi

# --- Secrets that must exist before the workloads start (external mode) -------------------------

if [[ $SECRETS_MODE == external ]]; then
  if $CHANGES_CLUSTER && ! namespace_exists; then
    # The Secrets live in the namespace, so create it first, exactly as the manifests define it.
    say "creating namespace $NAMESPACE from dist/$ENVIRONMENT/"
    "${KUBECTL[@]}" apply --server-side --field-manager="$FIELD_MANAGER" -f - <<<"$NAMESPACE_MANIFEST" >/dev/null ||
      die "$EXIT_APPLY" "could not create namespace $NAMESPACE"
  fi
  missing=$(missing_secret_keys) || exit $?
  if [[ -n $missing && $CREATE_SECRETS == yes ]] && $CHANGES_CLUSTER; then
    create_missing_secrets "$missing"
    missing=$(missing_secret_keys) || exit $?
  fi
  if [[ -n $missing ]]; then
    report_missing_secrets "$missing"
    if $CHANGES_CLUSTER; then
      die "$EXIT_SECRETS" "required Secrets are missing; nothing but the Namespace was applied"
    fi
    warn 'the workloads would not start without these Secrets'
  fi
fi

# --- diff / dry run / apply ---------------------------------------------------------------------

# One apply of every file, in name order (00-baseline first: the Namespace before what lives in it).
file_args=()
for file in "${FILES[@]}"; do file_args+=(-f "$file"); done
apply_args=(apply --server-side --field-manager="$FIELD_MANAGER")

# Objects of this environment that the manifests no longer define. kubectl's own --prune is not
# used: it deletes only objects carrying the client-side last-applied annotation, which
# server-side apply does not write, so it would silently prune nothing. Prints "name<TAB>action".
removed_objects() {
  local live references='' name type kept
  live=$("${NS_KUBECTL[@]}" get "$(IFS=,; printf '%s' "${PRUNE_TYPES[*]}")" --selector "$SELECTOR" -o name) ||
    die "$EXIT_FAILED" "cannot list the objects of $SELECTOR to prune (kubectl above)"
  for name in $live; do
    [[ -z ${OBJECTS[$name]:-} ]] || continue
    kept=''
    for type in "${KEEP_REFERENCED[@]}"; do
      [[ $name == "$type"/* ]] || continue
      if [[ -z $references ]]; then
        references=$("${NS_KUBECTL[@]}" get replicasets,controllerrevisions,jobs,cronjobs,pods -o json) ||
          die "$EXIT_FAILED" 'cannot list what references the old ConfigMaps (kubectl above)'
      fi
      if grep -qF -- "\"${name#*/}\"" <<<"$references"; then kept=yes; fi
    done
    printf '%s\t%s\n' "$name" "${kept:+keep (still referenced, for rollback)}"
  done
}

status=$EXIT_OK
if $DIFF; then
  say "== kubectl diff (server-side) of dist/$ENVIRONMENT/"
  diff_status=0
  "${NS_KUBECTL[@]}" diff --server-side --field-manager="$FIELD_MANAGER" --selector "$SELECTOR" "${file_args[@]}" || diff_status=$?
  case $diff_status in
    0) say 'no differences' ;;
    1) status=$EXIT_DIFFERENCES ;;
    *) die "$EXIT_APPLY" "kubectl diff failed (status $diff_status)" ;;
  esac
fi
if $DRY_RUN; then
  say "== server-side dry run of the apply"
  "${NS_KUBECTL[@]}" "${apply_args[@]}" --dry-run=server "${file_args[@]}" || die "$EXIT_APPLY" 'the cluster rejected the dry run; nothing was applied'
  say "== what a deploy would prune (objects of $SELECTOR no longer in dist/$ENVIRONMENT/)"
  removed=$(removed_objects) || exit $?
  while IFS=$'\t' read -r name action; do
    [[ -n $name ]] && say "  $name: ${action:-would be deleted}"
  done <<<"$removed"
  [[ -n $removed ]] || say '  nothing'
fi
if ! $CHANGES_CLUSTER; then
  say 'nothing was changed (--dry-run / --diff)'
  exit "$status"
fi

say "== applying dist/$ENVIRONMENT/ (server-side, in file order)"
"${NS_KUBECTL[@]}" "${apply_args[@]}" "${file_args[@]}" || die "$EXIT_APPLY" 'the apply failed; see the messages above'

# --- verify -------------------------------------------------------------------------------------

TABLE=()
row() { TABLE+=("$(printf '  %-8s %-52s %s' "$1" "$2" "$3")"); }
print_table() {
  say ''
  say "status of $ENVIRONMENT (context $CONTEXT, namespace $NAMESPACE):"
  printf '  %-8s %-52s %s\n' CHECK TARGET RESULT
  if ((${#TABLE[@]} > 0)); then printf '%s\n' "${TABLE[@]}"; fi
}

if [[ $SECRETS_MODE == external-secrets ]]; then
  say "== waiting for ${#EXTERNAL_SECRETS[@]} ExternalSecret(s) to sync (timeout $TIMEOUT each)"
  secrets_ok=true
  for name in "${EXTERNAL_SECRETS[@]}"; do
    if "${NS_KUBECTL[@]}" wait --for=condition=Ready "externalsecret/$name" --timeout="$TIMEOUT" >/dev/null; then
      row secret "externalsecret/$name" ok
    else
      row secret "externalsecret/$name" 'FAILED: not Ready'
      secrets_ok=false
    fi
  done
  missing=$(missing_secret_keys) || exit $?
  if [[ -n $missing ]] || ! $secrets_ok; then
    [[ -z $missing ]] || report_missing_secrets "$missing"
    print_table
    die "$EXIT_SECRETS" "Secrets did not sync from $STORE_KIND $STORE_NAME; check: ${NS_KUBECTL[*]} describe externalsecret"
  fi
fi

say "== waiting for ${#ROLLOUTS[@]} rollout(s) (timeout $TIMEOUT each)"
rollouts_ok=true
for target in "${ROLLOUTS[@]}"; do
  if [[ $target == job/* ]]; then
    wait_command=(wait --for=condition=complete "$target" --timeout="$TIMEOUT")
  else
    wait_command=(rollout status "$target" --timeout="$TIMEOUT")
  fi
  if "${NS_KUBECTL[@]}" "${wait_command[@]}"; then
    row rollout "$target" ok
  else
    row rollout "$target" "FAILED: not ready within $TIMEOUT"
    rollouts_ok=false
  fi
done
if ! $rollouts_ok; then
  say '' "pods of $ENVIRONMENT:"
  "${NS_KUBECTL[@]}" get pods --selector "$SELECTOR" -o wide || true
  print_table
  die "$EXIT_ROLLOUT" "a rollout failed; inspect with: ${NS_KUBECTL[*]} describe <kind>/<name>, or roll back (README, Deploy)"
fi

# Sends one request through a local port and prints the first line of the reply.
exchange() {
  local port=$1 request=$2
  (
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    printf '%b' "$request" >&3
    IFS= read -r -t 10 line <&3 || exit 1
    printf '%s\n' "${line%$'\r'}"
  ) 2>/dev/null
}

# Port-forwards to a Service (the operator's own access path, which NetworkPolicies do not block)
# and probes it. Sets HEALTH_RESULT; returns non-zero when unhealthy. Runs in this shell, so the
# EXIT trap can stop the port-forward whatever happens.
HEALTH_RESULT=''
check_health() {
  local service=$1 port=$2 protocol=$3 path=$4 log pid local_port='' reply=''
  log=$(mktemp)
  TEMP_PATHS+=("$log")
  "${NS_KUBECTL[@]}" port-forward --address=127.0.0.1 "svc/$service" ":$port" >"$log" 2>&1 &
  pid=$!
  FORWARD_PIDS+=("$pid")
  for _ in $(seq 1 150); do
    local_port=$(sed -n 's/^Forwarding from 127\.0\.0\.1:\([0-9][0-9]*\) .*/\1/p' "$log")
    local_port=${local_port%%$'\n'*}
    if [[ -n $local_port ]] || ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  if [[ -n $local_port ]]; then
    if [[ $protocol == redis ]]; then
      reply=$(exchange "$local_port" 'PING\r\n') || reply=''
    else
      reply=$(exchange "$local_port" "GET $path HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n") || reply=''
    fi
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [[ -z $local_port ]]; then
    HEALTH_RESULT="FAILED: no port-forward to svc/$service: $(sed -n '1p' "$log")"
    return 1
  fi
  case $protocol:$reply in
    redis:+PONG*) HEALTH_RESULT='ok (PONG)' ;;
    redis:-NOAUTH*) HEALTH_RESULT='ok (answers; authentication required)' ;;
    http:HTTP/1.?\ 200*) HEALTH_RESULT="ok (HTTP 200 $path)" ;;
    *)
      HEALTH_RESULT="FAILED: ${reply:-no reply}"
      return 1
      ;;
  esac
}

say "== checking health through ${#HEALTH_CHECKS[@]} Service(s)"
health_ok=true
for entry in "${HEALTH_CHECKS[@]}"; do
  IFS=$'\t' read -r label service port protocol path <<<"$entry"
  if ! check_health "$service" "$port" "$protocol" "$path"; then health_ok=false; fi
  row health "$label (svc/$service:$port)" "$HEALTH_RESULT"
done

# After a healthy rollout only: a failed deploy keeps every old object for a rollback.
prune_removed_objects() {
  local removed name action deleted=0 kept=0
  removed=$(removed_objects) || exit $?
  while IFS=$'\t' read -r name action; do
    [[ -n $name ]] || continue
    if [[ -n $action ]]; then
      kept=$((kept + 1))
    else
      "${NS_KUBECTL[@]}" delete "$name" --wait=false >/dev/null
      say "  pruned $name"
      deleted=$((deleted + 1))
    fi
  done <<<"$removed"
  row prune "objects no longer in dist/$ENVIRONMENT/" "$deleted deleted, $kept referenced ConfigMap(s) kept"
}

if ! $health_ok; then
  print_table
  die "$EXIT_HEALTH" 'a health check failed; old ConfigMaps were kept for a rollback (README, Deploy)'
fi
say "== pruning objects removed from dist/$ENVIRONMENT/"
prune_removed_objects
print_table
say ''
printf '%s\n' "${ACCESS_LINES[@]}"
say "deployed $ENVIRONMENT"
exit "$EXIT_OK"
