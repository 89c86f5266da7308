# Turns the harness's raw samples ("dialect<TAB>tool<TAB>op<TAB>seconds|failed|n/a: why") into the
# markdown results table. Variables: n, runs, repeat, warmup, date, machine, elapsed, pwsh (its version, or
# empty). Plain POSIX awk (mawk).

function fmt(s) {
  if (s == "") return ""
  if (s < 0.001) return sprintf("%.2f ms", s * 1000)
  if (s < 1) return sprintf("%.1f ms", s * 1000)
  if (s < 100) return sprintf("%.2f s", s)
  return sprintf("%.0f s", s)
}
# Sorts v[1..c] in place, ascending (insertion sort: a handful of samples or sizes).
function sort_numbers(v, c,    i, j, tmp) {
  for (i = 2; i <= c; i++) { tmp = v[i]; for (j = i - 1; j >= 1 && v[j] > tmp; j--) v[j + 1] = v[j]; v[j + 1] = tmp }
}
# The median of samples[key, 1..c], or "" when there are none.
function median_of(samples, key, c,    i, v) {
  if (c == 0) return ""
  for (i = 1; i <= c; i++) v[i] = samples[key, i] + 0
  sort_numbers(v, c)
  if (c % 2) return v[(c + 1) / 2]
  return (v[c / 2] + v[c / 2 + 1]) / 2
}
function median(key) { return median_of(val, key, cnt[key]) }
function cmedian(key) { return median_of(cval, key, ccnt[key]) }
function ccell(d, t, o, bop,    m, b) {
  m = cmedian(d SUBSEP t SUBSEP o)
  if (m == "") return "—"
  b = (t == base) ? "" : cmedian(d SUBSEP base SUBSEP bop)
  return fmt(m) ratio(m, b)
}
# The median of a cell, or "" when it has no numeric sample.
function med(d, t, o) { return median(d SUBSEP t SUBSEP o) }
function ratio(m, b) { return (b > 0 && m != "") ? sprintf(" · %.2f×", m / b) : "" }
function cell(d, t, o, bop,    m, b) {
  m = med(d, t, o)
  if (m == "") return (note[d, t, o] != "" ? note[d, t, o] : "—")
  b = (t == base) ? "" : med(d, base, bop)
  return fmt(m) ratio(m, b) samples(d, t, o)
}
function samples(d, t, o,    key) {
  key = d SUBSEP t SUBSEP o
  return (cnt[key] > 1) ? "" : (cnt[key] == 1 ? " (1 run)" : "")
}
# apply ÷ N, and the marginal cost (apply − nothing pending) ÷ N, which leaves out what a run pays once
# (process start, connect, reading the history), so small N are comparable with large ones.
function permig(d, t,    m, z, s) {
  m = med(d, t, "apply")
  if (m == "") return (note[d, t, "apply"] != "" ? note[d, t, "apply"] : "—")
  s = sprintf("%.2f ms", m * 1000 / n)
  z = med(d, t, "noop")
  if (z != "") s = s sprintf(" · %.2f ms", (m - z) * 1000 / n)
  return s
}
# A cell and how far it is above the pwsh floor f: "1.18 s (floor + 0.43 s)".
function overfloor(d, t, o, f,    m) {
  m = med(d, t, o)
  if (m == "") return (note[d, t, o] != "" ? note[d, t, o] : "—")
  return fmt(m) ((f == "") ? "" : sprintf(" (floor %+.2f s)", m - f)) samples(d, t, o)
}
# (apply − nothing pending) ÷ N of a tool, in seconds, or "".
function marginal(d, t,    a, z) {
  a = med(d, t, "apply"); z = med(d, t, "noop")
  return (a == "" || z == "") ? "" : (a - z) / n
}
function target(label, ok, detail) { printf "| %s | %s | %s |\n", label, ok, detail }
function targets_table(title) { printf "\n## %s\n\n| target | verdict | measured |\n| --- | --- | --- |\n", title }
function verdict(value, limit) { return (value == "") ? "n/a" : (value <= limit ? "met" : sprintf("missed (%.2f× the limit)", value / limit)) }

{
  key = $1 SUBSEP $2 SUBSEP $3
  seen_d[$1] = 1
  if ($4 ~ /^[0-9.]+$/) { val[key, ++cnt[key]] = $4 }
  if (NF >= 5 && $5 ~ /^[0-9.]+$/) { cval[key, ++ccnt[key]] = $5 }
  else if ($4 == "failed") { note[$1, $2, $3] = "failed" }
  else if (note[$1, $2, $3] == "") { note[$1, $2, $3] = $4 }
}

END {
  base = "baseline"
  ntools = split("baseline|baseline, pipelined|module (warm)|module (cold)|module (pwsh, cold)|dbmate|DbUp|Evolve|PowerShell host floor|pwsh floor|pwsh shim", tools, "|")
  ci = "CI step (pwsh)"; pf = "pwsh floor"; pc = "module (pwsh, cold)"
  floor_row["PowerShell host floor"] = "PowerShell host floor (`exit 0`)"
  floor_row[pf] = "pwsh floor (`dotnet pwsh.dll -c 'exit 0'`)"
  floor_row["pwsh shim"] = "pwsh shim (`dotnet pwsh -c 'exit 0'`)"
  dname["pg"] = "PostgreSQL"; dname["sqlite"] = "SQLite"
  bname["pg"] = "baseline: psql, one session"; bname["sqlite"] = "baseline: sqlite3, one session"
  pl = "baseline, pipelined"; pname = "the server's floor: pgbench, 50 migrations a pipeline"
  print "# Benchmark results"
  print ""
  printf "%s · N = %d migrations (%d files) · median of %d runs (warm: %d untimed rounds first, cheap cmdlets %d calls a run) · harness time %d s\n\n", date, n, 2 * n, runs, warmup, repeat, elapsed
  printf "Machine: %s\n", machine
  if (pwsh != "" && pwsh_dll != "") printf "\nReal pwsh: PowerShell %s, the version `.config/dotnet-tools.json` pins, precompiled: run as `dotnet %s` (PWSH_DLL; `./build.ps1 -Task Pwsh`).\n", pwsh, pwsh_dll
  else if (pwsh != "") printf "\nReal pwsh: PowerShell %s, the version `.config/dotnet-tools.json` pins, run as `dotnet <pwsh.dll>` (not through the `dotnet pwsh` shim: see the shim's row).\n", pwsh
  if (pwsh != "") printf "Its environment (PWSH_ENV, by default the CircleCI jobs'): %s.\n", (pwsh_env == "" ? "the harness's own" : "`" pwsh_env "`")
  nd = split("pg sqlite", ds, " ")
  for (di = 1; di <= nd; di++) {
    d = ds[di]
    if (!(d in seen_d)) continue
    printf "\n## %s\n\n", dname[d]
    print "| tool | apply all | apply ÷ N · marginal ÷ N | nothing pending | status | roll back all | lint all | start-up / import |"
    print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for (ti = 1; ti <= ntools; ti++) {
      t = tools[ti]
      present = 0
      for (k in cnt) { split(k, parts, SUBSEP); if (parts[1] == d && parts[2] == t) present = 1 }
      for (k in note) { split(k, parts, SUBSEP); if (parts[1] == d && parts[2] == t) present = 1 }
      if (!present) continue
      label = (t == base) ? bname[d] : (t == pl ? pname : t)
      if (t in floor_row) {
        x = cell(d, t, "startup", "startup")
        if (t == "pwsh shim" && med(d, t, "startup") != "" && med(d, pf, "startup") != "")
          x = x sprintf(" (the shim: %+.0f ms over the pwsh floor)", (med(d, t, "startup") - med(d, pf, "startup")) * 1000)
        printf "| %s | | | | | | | %s |\n", floor_row[t], x
        continue
      }
      startop = (t == "module (warm)") ? "import" : "startup"
      printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", label, cell(d, t, "apply", "apply"), permig(d, t), \
        cell(d, t, "noop", "noop"), cell(d, t, "status", "status"), cell(d, t, "rollback", "rollback"), \
        cell(d, t, "lint", "lint"), cell(d, t, startop, "startup")
    }
    # CPU: user+sys seconds of the processes the tool started (or, warm, of its own process), so a busy
    # machine moves it much less than the wall time; on PostgreSQL it leaves out the server's work.
    printf "\nCPU (user+sys) of the tool's own processes, %s:\n\n", dname[d]
    print "| tool | apply all | nothing pending | status | roll back all | lint all | start-up / import |"
    print "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    for (ti = 1; ti <= ntools; ti++) {
      t = tools[ti]
      present = 0
      for (k in ccnt) { split(k, parts, SUBSEP); if (parts[1] == d && parts[2] == t) present = 1 }
      if (!present) continue
      label = (t == base) ? bname[d] : (t == pl ? pname : t)
      startop = (t == "module (warm)") ? "import" : "startup"
      printf "| %s | %s | %s | %s | %s | %s | %s |\n", label, ccell(d, t, "apply", "apply"), ccell(d, t, "noop", "noop"), \
        ccell(d, t, "status", "status"), ccell(d, t, "rollback", "rollback"), ccell(d, t, "lint", "lint"), ccell(d, t, startop, "startup")
    }
    # What a CI step does, each a fresh pwsh over N + 1 migrations, next to the pwsh floor of the same rounds.
    if (cnt[d, ci, "pending1"] + cnt[d, ci, "noop"] + cnt[d, ci, "report"] > 0 || note[d, ci, "pending1"] != "") {
      f = med(d, pf, "startup")
      printf "\nCI step in a fresh pwsh, %s, %d + 1 migrations (%d applied untimed, then):\n\n", dname[d], n, n
      print "| pwsh floor | one pending | nothing pending | status \\| Export-MigrationReport -Format JUnit |"
      print "| ---: | ---: | ---: | ---: |"
      printf "| %s | %s | %s | %s |\n", cell(d, pf, "startup", "startup"), overfloor(d, ci, "pending1", f), overfloor(d, ci, "noop", f), overfloor(d, ci, "report", f)
    }
  }

  # The size test (run.sh --sizes): the warm module over folders of cheap migrations of several sizes.
  nsz = 0
  for (k in cnt) {
    split(k, parts, SUBSEP)
    if (parts[3] ~ /^(noop|status)@/) { sz = substr(parts[3], index(parts[3], "@") + 1) + 0; if (!(sz in is_size)) { is_size[sz] = 1; sizes[++nsz] = sz } }
  }
  sort_numbers(sizes, nsz)
  if (nsz > 0) {
    print ""
    print "## Size: the warm module with more migrations"
    print ""
    print "Each size is a new process over its own folder of cheap migrations (`gen.sh --light`: an insert each), applied"
    print "once untimed; heap = managed heap after a full collection, once the timed calls are done, minus the heap"
    print "right after Import-Module. Status, fresh pwsh: `pwsh -c \"Import-Module …; Get-MigrationStatus …\"` over the same"
    print "applied folder (its table written to the log; then the same piped to Out-Null, no formatting), against a pwsh floor"
    print "timed right before each pair."
    print ""
    print "| database | migrations | nothing pending | status | heap growth | per migration | status, fresh pwsh | status \\| Out-Null, fresh pwsh |"
    print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for (di = 1; di <= nd; di++) {
      d = ds[di]
      for (i = 1; i <= nsz; i++) {
        sz = sizes[i]
        h = med(d, "module (warm)", "heap@" sz); h0 = med(d, "module (warm)", "heap@0")
        if (med(d, "module (warm)", "noop@" sz) == "" && h == "" && med(d, pc, "status@" sz) == "") continue
        growth[d, sz] = (h == "" || h0 == "") ? "" : h - h0
        printf "| %s | %d | %s | %s | %s | %s | %s | %s |\n", dname[d], sz, cell(d, "module (warm)", "noop@" sz, ""), cell(d, "module (warm)", "status@" sz, ""), \
          (growth[d, sz] == "" ? "—" : sprintf("%.1f MB", growth[d, sz])), (growth[d, sz] == "" ? "—" : sprintf("%.2f KB", growth[d, sz] * 1024 / sz)), \
          overfloor(d, pc, "status@" sz, med(d, pf, "floor@" sz)), overfloor(d, pc, "statusq@" sz, med(d, pf, "floor@" sz))
      }
    }
  }

  targets_table("Targets (issue 7), from this run")
  for (di = 1; di <= nd; di++) {
    d = ds[di]
    if (!(d in seen_d)) continue
    w = "module (warm)"; c = "module (cold)"
    b = med(d, base, "apply"); m = med(d, w, "apply")
    target(dname[d] ": apply, per migration ≤ baseline (warm)", (m == "" || b == "") ? "n/a" : verdict(m, b), \
      (m == "" ? (note[d, w, "apply"] != "" ? note[d, w, "apply"] : "—") : b == "" ? sprintf("%.2f ms", m * 1000 / n) : sprintf("%.2f ms vs %.2f ms", m * 1000 / n, b * 1000 / n)))
    b = med(d, base, "rollback"); m = med(d, w, "rollback")
    target(dname[d] ": roll back all ≤ 1.2× baseline (warm)", (m == "" || b == "") ? "n/a" : verdict(m, 1.2 * b), \
      (m == "" ? "—" : b == "" ? fmt(m) : sprintf("%s vs %s", fmt(m), fmt(b))))
    m = med(d, w, "noop")
    target(dname[d] ": nothing pending < 30 ms (warm)", verdict(m, 0.030), (m == "" ? "—" : fmt(m)))
    m = med(d, w, "status")
    target(dname[d] ": status < 30 ms (warm)", verdict(m, 0.030), (m == "" ? "—" : fmt(m)))
    m = med(d, c, "noop"); f = med(d, "PowerShell host floor", "startup")
    target(dname[d] ": cold nothing-pending − host floor ≤ 0.3 s", (m == "" || f == "") ? "n/a" : verdict(m - f, 0.3), \
      (m == "" || f == "" ? "—" : sprintf("%s − %s = %s", fmt(m), fmt(f), fmt(m - f))))
  }
  for (di = 1; di <= nd && nsz > 0; di++) {
    d = ds[di]; big = sizes[nsz]; small = sizes[1]
    if (big != 10000) continue
    m = med(d, "module (warm)", "noop@" big)
    target(sprintf("%s: nothing pending < 300 ms with %d migrations (warm)", dname[d], big), verdict(m, 0.3), (m == "" ? "—" : fmt(m)))
    m = med(d, "module (warm)", "status@" big)
    target(sprintf("%s: status < 300 ms with %d migrations (warm)", dname[d], big), verdict(m, 0.3), (m == "" ? "—" : fmt(m)))
    if (nsz > 1 && growth[d, big] != "" && growth[d, small] > 0) {
      target(sprintf("%s: heap grows no faster than the file count (%d → %d migrations)", dname[d], small, big), \
        verdict(growth[d, big] / growth[d, small], big / small), sprintf("%.1f MB → %.1f MB: %.1f× for %.0f× the files", \
        growth[d, small], growth[d, big], growth[d, big] / growth[d, small], big / small))
    }
  }
  m = ""
  for (di = 1; di <= nd && m == ""; di++) m = med(ds[di], "module (warm)", "lint")
  target(sprintf("lint %d files < 0.5 s (warm%s)", 2 * n, (2 * n == 1000 ? "" : "; the target is for 1,000")), verdict(m, 0.5), (m == "" ? "—" : fmt(m)))

  # Issue 21's targets: real pwsh, one process per command, against the baseline and the pwsh floor of this run.
  has21 = 0
  for (di = 1; di <= nd; di++) if ((ds[di] SUBSEP pc SUBSEP "apply") in cnt || (ds[di] SUBSEP ci SUBSEP "pending1") in cnt) has21 = 1
  if (has21) {
    targets_table("Targets (issue 21: real pwsh, a fresh process per command), from this run")
    for (di = 1; di <= nd; di++) {
      d = ds[di]
      if (!(d in seen_d)) continue
      p = marginal(d, pc); b = marginal(d, base)
      target(dname[d] ": cold apply, per migration ((apply − nothing pending) ÷ N) ≤ 0.9× baseline", (p == "" || b == "" || b <= 0) ? "n/a" : verdict(p, 0.9 * b), \
        (p == "" || b == "") ? "—" : sprintf("%.2f ms vs %.2f ms: %.2f×%s", p * 1000, b * 1000, (b > 0 ? p / b : 0), \
        (marginal(d, pl) == "" || b <= 0) ? "" : sprintf("; the server's floor (pgbench, pipelined) %.2f ms: %.2f×", marginal(d, pl) * 1000, marginal(d, pl) / b)))
      lim = (d == "pg") ? 0.35 : 0.25
      m = med(d, ci, "pending1"); f = med(d, pf, "startup")
      target(sprintf("%s: one pending on top of %d, fresh pwsh ≤ pwsh floor + %.2f s", dname[d], n, lim), (m == "" || f == "") ? "n/a" : verdict(m - f, lim), \
        (m == "" || f == "") ? "—" : sprintf("%s − %s = %+.2f s", fmt(m), fmt(f), m - f))
      m = med(d, pc, "status@10000"); f = med(d, pf, "floor@10000")
      target(dname[d] ": status of 10,000 in a fresh pwsh < pwsh floor + 1 s", (m == "" || f == "") ? "n/a" : verdict(m - f, 1.0), \
        (m == "" || f == "") ? "— (size test: --sizes with 10000)" : sprintf("%s − %s = %+.2f s (its table written)%s", fmt(m), fmt(f), m - f, \
        (med(d, pc, "statusq@10000") == "" ? "" : sprintf("; piped to Out-Null: %+.2f s", med(d, pc, "statusq@10000") - f))))
      if (d != "pg") continue
      m = med(d, pc, "apply@10000") - med(d, pc, "noop@10000"); b = med(d, base, "apply@10000") - med(d, base, "noop@10000")
      got = med(d, pc, "noop@10000") != "" && med(d, base, "noop@10000") != "" && b > 0
      target(dname[d] ": 10,000 light migrations in one fresh pwsh, per migration ≤ 1.0× baseline", got ? verdict(m, b) : "n/a", \
        got ? sprintf("%.2f ms vs %.2f ms: %.2f× (apply %s, psql %s)", m / 10, b / 10, m / b, fmt(med(d, pc, "apply@10000")), \
        fmt(med(d, base, "apply@10000"))) : "— (size test: --sizes with 10000, without --tools module)")
    }
    if (n != 200) printf "\nIssue 21 states the cold-apply target at N = 200, in each of three runs, with the spread of the three reported; this is one run at N = %d.\n", n
  }

  print ""
  print "Per migration: apply ÷ N, then (apply − nothing pending) ÷ N, the marginal cost without the run's fixed costs."
  print "Cells: median · ratio to the baseline's median for the same operation. \"module (warm)\" is timed inside"
  print "one process that imported the module once (its start-up cell is Import-Module alone); every other row"
  print "times whole processes from outside. The baseline's nothing pending and status are one psql/sqlite3"
  print "session reading the history table; its start-up is `SELECT 1` (process start and connect)."
  print "\"module (pwsh, cold)\" is a fresh `pwsh -NoProfile -NonInteractive -c \"Import-Module …; <cmdlet>\"` per command (start-up:"
  print "Import-Module alone); the pwsh floor is the same pwsh running `exit 0`, timed in each round right before the pwsh rows."
}
