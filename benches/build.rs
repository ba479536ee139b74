//! Benchmark: `pkwc build` on generated clusters of 1,000 and 10,000 apps against the baseline of
//! PERFORMANCE.md: serde_json parsing and pretty-printing the very JSON pkwc produces. Both run as child
//! processes, alternating, in the same run; the report gives median wall time, peak RSS and the ratios
//! (of the medians, and of the fastest runs, which a noisy neighbour disturbs least).
//!
//! Then the scaling series: `build` and `check --format json` of a cluster whose every app costs the same
//! (groups of ten pinned to an agent each, so 100,000 apps need no two to share a host port) at 10,000 and
//! 100,000 apps, and of the benchmark shape with host ports shared in threes (cross-app warnings on every
//! app) at 10,000 and 30,000 apps; the report gives each step's time and memory growth.
//!
//! Run with `cargo bench --bench build` (`-- --quick` skips the scaling series, `-- --editor` runs only the
//! editor's re-analysis; with `PKWC_BENCH_ALL` set it also prints every round's time, since on these machines
//! the speed of the CPU shifts in phases of a minute or so). Not a test: nothing here
//! asserts a time.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

const ROUNDS: usize = 15;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // Child mode: the JSON baseline (read, parse into a Value, pretty-print into a buffered writer).
    if args.len() == 3 && args[1] == "--json-baseline" {
        let bytes = std::fs::read(&args[2]).expect("read");
        let value: serde_json::Value = serde_json::from_slice(&bytes).expect("parse");
        let out = std::io::BufWriter::new(std::fs::File::create("/dev/null").expect("open"));
        serde_json::to_writer_pretty(out, &value).expect("write");
        // Not freed: pkwc does not free its model at exit either (PERFORMANCE.md).
        std::mem::forget(value);
        return;
    }
    if args.iter().any(|a| a == "--list") {
        return;
    }
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench");
    std::fs::create_dir_all(&dir).expect("bench dir");
    if args.iter().any(|a| a == "--editor") {
        reanalysis(&dir);
        return;
    }
    let pkwc = env!("CARGO_BIN_EXE_pkwc");
    let me = std::env::current_exe().expect("current exe");
    for apps in [1_000, 10_000] {
        let src = dir.join(format!("cluster-{apps}.pkw"));
        let json = dir.join(format!("cluster-{apps}.json"));
        std::fs::write(&src, generate(apps)).expect("write cluster");
        let status =
            Command::new(pkwc).arg("build").arg(&src).arg("-o").arg(&json).stderr(std::process::Stdio::null()).status();
        assert!(status.is_ok_and(|s| s.success()), "pkwc build failed on the generated cluster");
        let (src_len, json_len) = (std::fs::metadata(&src).unwrap().len(), std::fs::metadata(&json).unwrap().len());
        let mut build = Vec::new();
        let mut base = Vec::new();
        for _ in 0..ROUNDS {
            build.push(run(Command::new(pkwc).arg("build").arg(&src).arg("-o").arg("/dev/null")));
            base.push(run(Command::new(&me).arg("--json-baseline").arg(&json)));
        }
        let (bt, bm) = summary(&build);
        let (jt, jm) = summary(&base);
        let fastest = |runs: &[(Duration, i64)]| runs.iter().map(|r| r.0).min().unwrap_or_default();
        let (bf, jf) = (fastest(&build), fastest(&base));
        println!(
            "{apps:>6} apps: pkw {:.2} MB → JSON {:.2} MB | pkwc build {:>7.1} ms, peak {:>6.1} MB | serde_json baseline {:>7.1} ms, peak {:>6.1} MB | time ratio {:.2}× (fastest runs: {:.2}×), memory ratio {:.2}×",
            src_len as f64 / 1e6,
            json_len as f64 / 1e6,
            ms(bt),
            bm as f64 / 1024.0,
            ms(jt),
            jm as f64 / 1024.0,
            ms(bt) / ms(jt),
            ms(bf) / ms(jf),
            bm as f64 / jm as f64
        );
        if apps == 10_000 {
            versus_baseline("check", &me, &json, || {
                let mut c = Command::new(pkwc);
                c.arg("check").arg(&json);
                c
            });
            let out = dir.join("imported.pkw");
            versus_baseline("import", &me, &json, || {
                let mut c = Command::new(pkwc);
                c.arg("import").arg(&json).arg("-o").arg(&out);
                c
            });
            versus_baseline("import --verify", &me, &json, || {
                let mut c = Command::new(pkwc);
                c.arg("import").arg("--verify").arg(&json).arg("-o").arg(&out);
                c
            });
        }
    }
    reanalysis(&dir);
    if !args.iter().any(|a| a == "--quick") {
        scaling(&dir, pkwc);
    }
    let _ = std::io::stdout().flush();
}

/// A command on the JSON the cluster builds to, against the baseline on the same file, in the same run:
/// `pkwc check` (read, classified, into the model, every rule), `pkwc import` (Marathon's rules, then
/// written as pkw) and `pkwc import --verify` (and the pkw built and compared with the file).
fn versus_baseline(what: &str, me: &std::path::Path, json: &std::path::Path, mut command: impl FnMut() -> Command) {
    let mut runs = Vec::new();
    let mut base = Vec::new();
    for _ in 0..ROUNDS {
        runs.push(run_any(&mut command()));
        base.push(run(Command::new(me).arg("--json-baseline").arg(json)));
    }
    let (ct, cm) = summary(&runs);
    let (jt, jm) = summary(&base);
    let fastest = |runs: &[(Duration, i64)]| runs.iter().map(|r| r.0).min().unwrap_or_default();
    println!(
        "{:>6}       pkwc {what} of that JSON {:>7.1} ms, peak {:>6.1} MB | serde_json baseline {:>7.1} ms, peak {:>6.1} MB | time ratio {:.2}× (fastest runs: {:.2}×), memory ratio {:.2}×",
        "",
        ms(ct),
        cm as f64 / 1024.0,
        ms(jt),
        jm as f64 / 1024.0,
        ms(ct) / ms(jt),
        ms(fastest(&runs)) / ms(fastest(&base)),
        cm as f64 / jm as f64
    );
}

/// Rounds of the scaling series: fewer, as a 100,000-app run takes seconds.
const SCALING_ROUNDS: usize = 5;

/// A scaling series: its name, its generator, and the two sizes it is run at.
type Series = (&'static str, fn(usize) -> String, [usize; 2]);

fn scaling(dir: &std::path::Path, pkwc: &str) {
    let series: [Series; 2] =
        [("pinned", generate_pinned, [10_000, 100_000]), ("ports shared in threes", generate_threes, [10_000, 30_000])];
    for (name, generate, sizes) in series {
        for (command, args) in
            [("build", &["build", "-o", "/dev/null"][..]), ("check --format json", &["check", "--format", "json"][..])]
        {
            let mut results = Vec::new();
            for apps in sizes {
                let src = dir.join(format!("scaling-{}-{apps}.pkw", name.replace(' ', "-")));
                std::fs::write(&src, generate(apps)).expect("write cluster");
                let runs: Vec<(Duration, i64)> = (0..SCALING_ROUNDS)
                    .map(|_| {
                        let mut cmd = Command::new(pkwc);
                        cmd.arg(args[0]).args(&args[1..]).arg(&src);
                        run_any(&mut cmd)
                    })
                    .collect();
                results.push((apps, summary(&runs)));
            }
            let [(a0, (t0, m0)), (a1, (t1, m1))] = [results[0], results[1]];
            println!(
                "scaling, {name}, {command}: {a0} apps {:.1} ms / {:.1} MB → {a1} apps {:.1} ms / {:.1} MB: time ×{:.2}, memory ×{:.2} for ×{:.0} apps",
                ms(t0),
                m0 as f64 / 1024.0,
                ms(t1),
                m1 as f64 / 1024.0,
                ms(t1) / ms(t0),
                m1 as f64 / m0 as f64,
                a1 as f64 / a0 as f64
            );
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Median wall time and the largest peak RSS (KiB) over the rounds.
fn summary(runs: &[(Duration, i64)]) -> (Duration, i64) {
    let mut times: Vec<Duration> = runs.iter().map(|r| r.0).collect();
    times.sort();
    (times[times.len() / 2], runs.iter().map(|r| r.1).max().unwrap_or(0))
}

/// Runs a child that must succeed: its wall time and peak resident set (KiB).
fn run(cmd: &mut Command) -> (Duration, i64) {
    let (elapsed, rss, code) = run_status(cmd);
    assert_eq!(code, Some(0), "child failed");
    (elapsed, rss)
}

/// Runs a child that may report problems in the input (exit 0 or 1), as `check` does on a cluster with errors.
fn run_any(cmd: &mut Command) -> (Duration, i64) {
    let (elapsed, rss, code) = run_status(cmd);
    assert!(matches!(code, Some(0 | 1)), "child failed with {code:?}");
    (elapsed, rss)
}

/// Runs a child to completion: its wall time, its own peak resident set (KiB), from `wait4`, and its exit code.
#[allow(clippy::zombie_processes)] // reaped by `wait4`, which also gives its resource usage
fn run_status(cmd: &mut Command) -> (Duration, i64, Option<i32>) {
    let start = Instant::now();
    let child = cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().expect("spawn");
    let mut status = 0;
    // SAFETY: `rusage` is plain old data, and wait4 writes it for the child we just spawned.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    let code = (pid > 0 && libc::WIFEXITED(status)).then(|| libc::WEXITSTATUS(status));
    (elapsed, usage.ru_maxrss, code)
}

/// A root group `bench` with groups of 10 apps, each group depending on the one before it; every app is
/// made from the template `svc` (whose body is `template`) by the line `app(group, index in group, app)`.
fn cluster(apps: usize, template: &str, app: impl Fn(usize, usize, usize) -> String) -> String {
    let mut s = String::with_capacity(apps * 170);
    s.push_str("# generated benchmark cluster\ngroup bench {\n  template svc {\n");
    s.push_str(template);
    s.push_str("  }\n");
    for g in 0..apps / 10 {
        s.push_str(&format!("  group g{g} {{\n"));
        if g > 0 {
            s.push_str(&format!("    depends-on ../g{}\n", g - 1));
        }
        for a in 0..10 {
            s.push_str(&app(g, a, g * 10 + a));
        }
        s.push_str("  }\n");
    }
    s.push_str("}\n");
    s
}

const TEMPLATE: &str = "    image \"registry.example.com/svc:1.0\"\n    network host\n    require-ports\n    unique-host\n    cpus 0.5\n    mem 512MiB\n    health tcp port-index 0 grace 30s interval 20s timeout 10s max-failures 3\n    upgrade min-health 50% max-over 0%\n";

/// Five consecutive fixed host ports from `base`.
fn ports(base: usize) -> String {
    format!("ports {} {} {} {} {}", base, base + 1, base + 2, base + 3, base + 4)
}

/// The benchmark cluster of PERFORMANCE.md: a root group with groups of 10 apps. Every app uses one
/// template (docker image, host networking, `require-ports`, `unique-host`, cpus, mem, a TCP health check,
/// an upgrade strategy) and sets its own `instances`, five fixed host ports and two `env` entries. One app
/// in a hundred shares its ports with its neighbour, and every group depends on the one before it.
fn generate(apps: usize) -> String {
    cluster(apps, TEMPLATE, |_, a, n| {
        // One app in a hundred takes its neighbour's ports.
        let m = if n % 100 == 1 { n - 1 } else { n };
        let base = 10_000 + (5 * m) % 50_000;
        let (instances, zone) = (1 + n % 3, n % 4);
        format!(
            "    app s{a} from svc {{ instances {instances}; {}; env SERVICE \"s{n}\"; env ZONE \"z{zone}\" }}\n",
            ports(base)
        )
    })
}

/// The scaling cluster: the benchmark's template and apps, but each group of ten pinned to an agent of its
/// own (`constraint hostname cluster`) instead of `unique-host`, one instance each, and ports distinct within
/// a group only, so that every app costs the same at any size and 100,000 apps fit in 65,535 ports.
fn generate_pinned(apps: usize) -> String {
    let template = TEMPLATE.replace("    unique-host\n", "").replace("min-health 50%", "min-health 0%");
    cluster(apps, &template, |g, a, n| {
        let (base, zone) = (10_000 + 5 * a, n % 4);
        format!(
            "    app s{a} from svc {{ constraint hostname cluster \"agent-{g}\"; {}; env SERVICE \"s{n}\"; env ZONE \"z{zone}\" }}\n",
            ports(base)
        )
    })
}

/// The benchmark cluster with every three neighbouring apps on the same five fixed host ports: each triple
/// raises a shared-host-port warning with labels on all three apps.
fn generate_threes(apps: usize) -> String {
    cluster(apps, TEMPLATE, |_, a, n| {
        let base = 10_000 + (5 * (n / 3)) % 50_000;
        let (instances, zone) = (1 + n % 3, n % 4);
        format!(
            "    app s{a} from svc {{ instances {instances}; {}; env SERVICE \"s{n}\"; env ZONE \"z{zone}\" }}\n",
            ports(base)
        )
    })
}

/// The editor's loop on a 1,000-app file through `ide::analysis`, in this process, as `pkwc lsp` does on each
/// change: a full analysis (parse, lower with names kept, every check), and a keystroke inside one app (the
/// edited block parsed again, the whole file lowered and checked); then a definition and a hover.
fn reanalysis(dir: &std::path::Path) {
    struct NoFiles;
    impl pkwc::Loader for NoFiles {
        fn load(&self, _: &std::path::Path) -> std::io::Result<Vec<u8>> {
            Err(std::io::ErrorKind::NotFound.into())
        }
    }
    let path = dir.join("editing-1000.pkw");
    let text = generate(1_000);
    // The app the keystrokes change: one in the middle of the file.
    let middle =
        text[text.len() / 2..].find("instances ").map(|i| text.len() / 2 + i + "instances ".len()).expect("an app");
    let typed = |round: usize| format!("{}{}{}", &text[..middle], 1 + round % 3, &text[middle + 1..]);
    let median = |mut v: Vec<Duration>| {
        v.sort();
        (v[v.len() / 2], v[0])
    };
    let (mut full, mut keystroke, mut queries) = (Vec::new(), Vec::new(), Vec::new());
    let mut editing = pkwc::ide::analysis::Analysis::default();
    editing.set(&path, text.clone());
    drop(editing.analyse(&path, &NoFiles));
    for round in 0..ROUNDS * 2 {
        let mut fresh = pkwc::ide::analysis::Analysis::default();
        fresh.set(&path, typed(round));
        let start = Instant::now();
        let analysed = fresh.analyse(&path, &NoFiles).expect("the file is open");
        full.push(start.elapsed());
        drop(analysed);
        editing.set(&path, typed(round + 1));
        let start = Instant::now();
        let analysed = editing.analyse(&path, &NoFiles).expect("the file is open");
        keystroke.push(start.elapsed());
        let offset = text.rfind("from svc").expect("a template use") + 6;
        let start = Instant::now();
        let found =
            analysed.definition(analysed.main, offset).is_some() && analysed.hover(analysed.main, offset).is_some();
        queries.push(start.elapsed());
        assert!(found, "the definition and hover of a template use");
        // The server frees the analysis it replaces, after it has published the new one's diagnostics.
        drop(analysed);
    }
    if std::env::var_os("PKWC_BENCH_ALL").is_some() {
        eprintln!("full {full:?}\nkeystroke {keystroke:?}");
    }
    let ((fm, ff), (km, kf), (qm, _)) = (median(full), median(keystroke), median(queries));
    println!(
        "  1000 apps in the editor (ide::analysis, names kept, every check): full analysis {:.1} ms median ({:.1} fastest) | a keystroke in an app {:.1} ms ({:.1}) | definition + hover {:.2} ms",
        ms(fm),
        ms(ff),
        ms(km),
        ms(kf),
        ms(qm)
    );
}
