# regionpair post-restore checks for a Linux instance restored in the other Region of the pair
# (see docs/restore.md). The SSM document `<topology>-<role>-linux-post-restore` runs this script
# with bash; it first sets OTHER_REGION_CIDRS (the other Region's management CIDR, filled in by
# the stacks) from the document's parameter.
#
# Read-only, so running it again is safe: it reports addresses not configured by DHCP, routes and
# /etc/hosts entries that point into the other Region. Each check prints one line; the last line
# of the output is one JSON summary that `regionpair restore` parses.

set -u

ip_to_int() {
  local IFS=.
  # shellcheck disable=SC2086
  set -- $1
  [ "$#" -eq 4 ] || return 1
  echo $(( ($1 << 24) + ($2 << 16) + ($3 << 8) + $4 ))
}

# True when an IPv4 address lies in one of OTHER_REGION_CIDRS.
in_other_region() {
  local address=$1 value cidr network bits mask
  case "$address" in *[!0-9.]* | "") return 1 ;; esac
  value=$(ip_to_int "$address") || return 1
  for cidr in ${OTHER_REGION_CIDRS//,/ }; do
    network=${cidr%/*}
    bits=${cidr#*/}
    if [ "$bits" -eq 0 ]; then mask=0; else mask=$(( (0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF )); fi
    if [ $(( value & mask )) -eq $(( $(ip_to_int "$network") & mask )) ]; then return 0; fi
  done
  return 1
}

json_string() {
  local text=${1//\\/\\\\}
  text=${text//\"/\\\"}
  printf '"%s"' "$text"
}

json_list() {
  local first=1 item
  printf '['
  for item in "$@"; do
    [ "$first" -eq 1 ] || printf ','
    json_string "$item"
    first=0
  done
  printf ']'
}

# 1. Addressing must come from DHCP. An address DHCP gave has a lease lifetime (`dynamic`); a
#    static one from the old subnet makes the instance unreachable here.
static=()
while read -r _ interface _ address rest; do
  [ "$interface" = "lo" ] && continue
  case " $rest " in *" dynamic "*) ;; *) static+=("$interface ${address}") ;; esac
done < <(ip -4 -o addr show 2>/dev/null)
if [ "${#static[@]}" -eq 0 ]; then
  dhcp_status=ok
  dhcp_detail="every address comes from DHCP"
else
  dhcp_status=warning
  dhcp_detail="not from DHCP: ${static[*]}"
fi
echo "dhcp: ${dhcp_status}: ${dhcp_detail}"

# 2. Routes into the other Region (by destination or gateway), left from the source Region.
routes=()
while read -r destination rest; do
  gateway=""
  case " $rest " in *" via "*) gateway=${rest#*via }; gateway=${gateway%% *} ;; esac
  if in_other_region "${destination%/*}" || { [ -n "$gateway" ] && in_other_region "$gateway"; }; then
    routes+=("${destination}${gateway:+ via $gateway}")
  fi
done < <(ip -4 route show 2>/dev/null)
if [ "${#routes[@]}" -eq 0 ]; then routes_status=ok; routes_detail="no route into ${OTHER_REGION_CIDRS}"; else routes_status=warning; routes_detail="routes into the other Region: ${routes[*]}"; fi
echo "routes: ${routes_status}: ${routes_detail}"

# 3. /etc/hosts entries that pin names to addresses in the other Region.
hosts=()
while read -r address names; do
  case "$address" in "" | \#*) continue ;; esac
  if in_other_region "$address"; then hosts+=("$address ${names%%#*}"); fi
done < "${HOSTS_FILE:-/etc/hosts}"
if [ "${#hosts[@]}" -eq 0 ]; then hosts_status=ok; hosts_detail="no hosts entry into ${OTHER_REGION_CIDRS}"; else hosts_status=warning; hosts_detail="hosts entries into the other Region: ${hosts[*]}"; fi
echo "hosts: ${hosts_status}: ${hosts_detail}"

printf '{"regionpair":"post-restore","version":1,"platform":"linux","computerName":%s,"ok":true,"fixups":{' "$(json_string "$(hostname)")"
printf '"dhcp":{"status":"%s","detail":%s,"staticAdapters":%s},' "$dhcp_status" "$(json_string "$dhcp_detail")" "$(json_list "${static[@]+"${static[@]}"}")"
printf '"routes":{"status":"%s","detail":%s,"entries":%s},' "$routes_status" "$(json_string "$routes_detail")" "$(json_list "${routes[@]+"${routes[@]}"}")"
printf '"hosts":{"status":"%s","detail":%s,"entries":%s}}}\n' "$hosts_status" "$(json_string "$hosts_detail")" "$(json_list "${hosts[@]+"${hosts[@]}"}")"
