#!/usr/bin/env bash
# A worked example of the product on its default database (in the OS data directory, e.g.
# ~/.local/share/cunjing/office.db): creates the office on first run, records a household, a
# resident, a visit, a patrol and a dispute, then lists, shows and searches them.
# Pass --db PATH (or set CUNJING_DB) to use another file. The database is encrypted: the
# passphrase is asked once here (or taken from CUNJING_PASSPHRASE) and handed to every command.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --bin cunjing
cj() { ./target/release/cunjing "$@"; }

if [ -z "${CUNJING_PASSPHRASE:-}" ]; then
  read -rsp "口令（新建时至少 8 个字符）/ passphrase: " CUNJING_PASSPHRASE; echo
  export CUNJING_PASSPHRASE
fi

if ! cj office >/dev/null 2>&1; then
  cj init --office-name "翠月湖村警务室" --office-code "CYH-01" --officer "李建国"
fi
today=$(date +%F)

h=$(cj add households --json '{"village":"翠月湖村","group":"三组","house_no":"12号","head_name":"王芳","phone":"13812345678","tags":["registered","left_behind"]}')
cj add residents --json "{\"household_id\":\"$h\",\"name\":\"王芳\",\"id_number\":\"11010519491231002X\",\"category\":\"registered\",\"relation_to_head\":\"户主\"}" >/dev/null
cj add visits --json "{\"date\":\"$today\",\"officer\":\"李建国\",\"household_id\":\"$h\",\"method\":\"in_home\",\"purposes\":[\"info_check\",\"safety_publicity\"],\"people_talked\":2,\"concerns\":\"村口路灯坏了\"}" >/dev/null
cj add patrols --json "{\"date\":\"$today\",\"start_time\":\"19:30\",\"end_time\":\"21:00\",\"kind\":\"officer_led\",\"mode\":\"foot\",\"route\":\"村委会—小学—水库\",\"leader\":\"李建国\",\"members\":[\"刘强\",\"陈明\"],\"headcount\":3,\"recorder\":\"李建国\"}" >/dev/null
d=$(cj add disputes --json "{\"accepted_on\":\"$today\",\"source\":\"party_request\",\"dispute_type\":\"neighbor\",\"location\":\"翠月湖村三组\",\"people_count\":2,\"summary\":\"两家因排水沟堵塞发生争执\",\"mediators\":\"李建国、调委会刘主任\",\"parties\":[{\"name\":\"张三\",\"role\":\"applicant\"},{\"name\":\"曾小明\",\"role\":\"respondent\"}]}")
cj update disputes "$d" --json '{"status":"resolved","outcome_note":"双方同意共同清理排水沟","agreement_form":"oral"}' >/dev/null

echo; cj list visits
echo; cj show disputes "$d"
echo; cj history disputes "$d"
echo; echo "search wf:"; cj search wf
echo; echo "search zengxm → zeng:"; cj search zengxiaoming
echo; cj office
