package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Size of the synthetic module: 50 packages of 20 files of 20 functions,
// 1,000 files and 20,000 functions, 12,000 of them marked //trace:span.
const (
	benchPackages     = 50
	benchFilesPerPkg  = 20
	benchFuncsPerFile = 20
)

// BenchmarkCLI measures tracegen apply and check on a large synthetic module
// against go vet on the same (instrumented) module, in the same run, each as a child
// process, reporting wall time per operation and the child's peak resident
// memory (ru_maxrss, which covers the children it waited for). Before every
// timed run one comment in each package is changed, so that go vet cannot
// answer from its cache for the module's packages (the standard library
// stays cached, as it is for users).
//
//	go test -run=^$ -bench=CLI -count=6 ./cmd/tracegen | tee new.txt
//	go run golang.org/x/perf/cmd/benchstat@latest new.txt
func BenchmarkCLI(b *testing.B) {
	m := benchSetup(b)
	bin, env, src, applied := m.bin, m.env, m.src, m.applied
	work := filepath.Join(m.root, "work")

	b.Run("apply", func(b *testing.B) {
		measure(b, func(i int) (string, []string) {
			os.RemoveAll(work)
			copyTree(b, src, work)
			bustCache(b, work, i)
			return work, []string{bin, "./..."}
		}, env)
	})
	b.Run("check", func(b *testing.B) {
		measure(b, func(i int) (string, []string) {
			bustCache(b, applied, i)
			return applied, []string{bin, "check", "./..."}
		}, env)
	})
	b.Run("govet", func(b *testing.B) {
		measure(b, func(i int) (string, []string) {
			bustCache(b, applied, i)
			return applied, []string{"go", "vet", "./..."}
		}, env)
	})
}

// BenchmarkCLIRules is BenchmarkCLI on the synthetic module without
// directives, with a tracegen.yaml of 100 rules (two a package) selecting
// its 8,000 functions with a context and an error or tags: rule matching
// and the loader's pre-filter are on the path of every file.
//
//	go test -run=^$ -bench=CLIRules -count=6 ./cmd/tracegen | tee rules.txt
func BenchmarkCLIRules(b *testing.B) {
	m := benchSetup(b)
	src := filepath.Join(m.root, "rules-src")
	applied := filepath.Join(m.root, "rules-applied")
	if _, err := os.Stat(src); err != nil {
		generateModule(b, src, repoRoot(b), benchPackages)
		stripDirectives(b, src)
		writeFile(b, filepath.Join(src, "tracegen.yaml"), benchRules())
		copyTree(b, src, applied)
		runIn(b, applied, m.env, m.bin, "./...")
		runIn(b, applied, m.env, m.bin, "check", "./...")
		out := runIn(b, applied, m.env, m.bin, "list", "./...")
		if n := strings.Count(string(out), "(current; rule "); n != 8000 {
			b.Fatalf("the rules select %d functions, want 8000", n)
		}
	}
	work := filepath.Join(m.root, "work")
	b.Run("apply", func(b *testing.B) {
		measure(b, func(i int) (string, []string) {
			os.RemoveAll(work)
			copyTree(b, src, work)
			bustCache(b, work, i)
			return work, []string{m.bin, "./..."}
		}, m.env)
	})
	b.Run("check", func(b *testing.B) {
		measure(b, func(i int) (string, []string) {
			bustCache(b, applied, i)
			return applied, []string{m.bin, "check", "./..."}
		}, m.env)
	})
	b.Run("govet", func(b *testing.B) {
		measure(b, func(i int) (string, []string) {
			bustCache(b, applied, i)
			return applied, []string{"go", "vet", "./..."}
		}, m.env)
	})
	vettool := filepath.Join(m.root, "tracegen-vet")
	if _, err := os.Stat(vettool); err != nil {
		if out, err := exec.Command("go", "build", "-o", vettool, "../tracegen-vet").CombinedOutput(); err != nil {
			b.Fatalf("go build tracegen-vet: %v\n%s", err, out)
		}
	}
	b.Run("vettool", func(b *testing.B) {
		measure(b, func(i int) (string, []string) {
			bustCache(b, applied, i)
			return applied, []string{"go", "vet", "-vettool=" + vettool, "./..."}
		}, m.env)
	})
	// The two vet runs in turns, in the same iteration, for their ratio:
	// the machine's drift between the runs above is larger than the
	// difference.
	b.Run("vettool-over-govet", func(b *testing.B) {
		runs := [2]turn{{applied, []string{"go", "vet", "./..."}}, {applied, []string{"go", "vet", "-vettool=" + vettool, "./..."}}}
		ratio, _ := inTurns(b, m.env, runs, func(i int) { bustCache(b, applied, i) })
		b.ReportMetric(ratio, "vettool/govet")
	})
}

// BenchmarkBuildTime measures build-time mode against the plain go command
// on the same tree, in turns within each iteration, for their ratio: a
// clean build (every package of the module changed, the standard library
// cached, as for users) and a rebuild with nothing changed. A clean build
// is also measured against go build of the tree instrumented in place,
// which compiles the same code: the compiler's work on the instrumented
// functions is in both, and the ratio is what build-time mode itself
// costs. Modules: the synthetic one and a copy of examples/shop.
//
//	go test -run=^$ -bench=BuildTime -benchtime=5x ./cmd/tracegen
func BenchmarkBuildTime(b *testing.B) {
	m := benchSetup(b)
	shop := filepath.Join(m.root, "shop")
	shopApplied := filepath.Join(m.root, "shop-applied")
	if _, err := os.Stat(shop); err != nil {
		copyTree(b, filepath.Join(repoRoot(b), "examples", "shop"), shop)
		writeFile(b, filepath.Join(shop, "go.mod"), fmt.Sprintf(
			"module example.com/shop\n\ngo 1.26\n\nrequire github.com/tracegen/tracegen/runtime v0.0.0\n\nreplace github.com/tracegen/tracegen/runtime => %s\n", filepath.Join(repoRoot(b), "runtime")))
		copyTree(b, shop, shopApplied)
		runIn(b, shopApplied, m.env, m.bin, "./...")
	}
	env := append(m.env, "TRACEGEN_CACHE="+filepath.Join(m.root, "cache"))
	stampShop := func(dir string, i int) {
		writeFile(b, filepath.Join(dir, "stamp.go"), fmt.Sprintf("package main\n\n// run %d %d\n", time.Now().UnixNano(), i))
	}
	for _, mod := range []struct {
		name, dir, applied string
		bust               func(dir string, i int)
	}{
		{"synthetic", m.src, m.applied, func(dir string, i int) { bustCache(b, dir, i) }},
		{"shop", shop, shopApplied, stampShop},
	} {
		// Each command writes its own binary (shop is a main package), so
		// that a rebuild finds its output up to date, as it would for a
		// user, and links nothing.
		out := func(name string) []string {
			if mod.name == "shop" {
				return []string{"-o", filepath.Join(m.root, "bin", name)}
			}
			return nil
		}
		goBuild := turn{mod.dir, slices.Concat([]string{"go", "build"}, out("plain"), []string{"./..."})}
		inPlace := turn{mod.applied, slices.Concat([]string{"go", "build"}, out("inplace"), []string{"./..."})}
		tracegen := turn{mod.dir, slices.Concat([]string{m.bin, "build"}, out("traced"), []string{"./..."})}
		for _, c := range []struct {
			kind string
			runs [2]turn
		}{
			{"clean", [2]turn{goBuild, tracegen}},
			{"clean-vs-inplace", [2]turn{inPlace, tracegen}},
			{"rebuild", [2]turn{goBuild, tracegen}},
		} {
			b.Run(mod.name+"/"+c.kind, func(b *testing.B) {
				prepare := func(i int) { mod.bust(c.runs[0].dir, i); mod.bust(c.runs[1].dir, i) }
				if c.kind == "rebuild" {
					prepare = func(int) {} // inTurns warms each command first
				}
				ratio, rss := inTurns(b, env, c.runs, prepare)
				b.ReportMetric(ratio, "tracegen/go")
				b.ReportMetric(float64(rss[1])/float64(rss[0]), "peak-RSS-tracegen/go")
			})
		}
	}
}

// turn is a command of inTurns and the directory it runs in.
type turn struct {
	dir  string
	argv []string
}

// inTurns runs the two commands b.N times each, in turns whose order
// alternates, calling prepare (with a number unique to the run) untimed
// before each, and after one untimed warm-up run of each. It returns the
// median over the turns of the second command's time over the first's,
// and the peak RSS of each.
func inTurns(b *testing.B, env []string, runs [2]turn, prepare func(i int)) (float64, [2]int64) {
	b.Helper()
	b.StopTimer()
	for _, r := range runs {
		runIn(b, r.dir, env, r.argv[0], r.argv[1:]...)
	}
	b.StartTimer()
	var ratios []float64
	var rss [2]int64
	for i := range b.N {
		var took [2]time.Duration
		order := []int{0, 1}
		if i%2 == 1 {
			order = []int{1, 0}
		}
		for _, j := range order {
			b.StopTimer()
			prepare(2*i + j)
			cmd := exec.Command(runs[j].argv[0], runs[j].argv[1:]...)
			cmd.Dir, cmd.Env = runs[j].dir, env
			b.StartTimer()
			start := time.Now()
			out, err := cmd.CombinedOutput()
			took[j] = time.Since(start)
			if err != nil {
				b.Fatalf("%s: %v\n%s", strings.Join(runs[j].argv, " "), err, out)
			}
			if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > rss[j] {
				rss[j] = ru.Maxrss
			}
		}
		ratios = append(ratios, took[1].Seconds()/took[0].Seconds())
	}
	slices.Sort(ratios)
	return ratios[len(ratios)/2], rss
}

// stripDirectives removes the //trace: lines (and the blank comment line
// before each) from the module's files.
func stripDirectives(b *testing.B, dir string) {
	b.Helper()
	re := regexp.MustCompile(`(?m)^//\n//trace:[^\n]*\n`)
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(path, re.ReplaceAll(data, nil), 0o644)
	})
	if err != nil {
		b.Fatal(err)
	}
}

// benchRules is a rule file of two rules for each package of the synthetic
// module: its functions F*_0, _5, _10, _15 (a context and an error), and its
// methods on pointers, with tags, which together are 8 of each file's 20.
func benchRules() string {
	var s strings.Builder
	s.WriteString("rules:\n")
	for p := range benchPackages {
		fmt.Fprintf(&s, "  - name: %s-funcs\n    packages: ./%s\n    only: functions\n    funcs: \"re:_(0|5|10|15)$\"\n    signature: {error: true}\n", pkgName(p), pkgName(p))
		fmt.Fprintf(&s, "  - name: %s-methods\n    packages: ./%s\n    receivers: \"(*T*)\"\n    tags: [key, n]\n    kind: client\n", pkgName(p), pkgName(p))
	}
	return s.String()
}

var benchDir = flag.String("benchdir", "", "make BenchmarkCLI's synthetic module in this directory and keep it, for profiling")

// benchModule is the synthetic module and the binary, made once per test
// process and shared by the -count runs of BenchmarkCLI.
type benchModule struct {
	bin, root, src, applied string
	env                     []string
}

var (
	benchOnce sync.Once
	bench     *benchModule
	benchErr  error
)

// benchSetup builds tracegen and generates the module and its instrumented
// copy under a directory that TestMain removes.
func benchSetup(b *testing.B) *benchModule {
	benchOnce.Do(func() {
		root, err := os.MkdirTemp(*benchDir, "tracegen-bench-")
		if err != nil {
			benchErr = err
			return
		}
		if *benchDir == "" {
			cleanups = append(cleanups, func() { os.RemoveAll(root) })
		}
		m := &benchModule{root: root, src: filepath.Join(root, "src"), applied: filepath.Join(root, "applied")}
		m.bin = filepath.Join(root, "tracegen")
		if out, err := exec.Command("go", "build", "-o", m.bin, ".").CombinedOutput(); err != nil {
			benchErr = fmt.Errorf("go build: %v\n%s", err, out)
			return
		}
		m.env = offlineEnv(b)
		generateModule(b, m.src, repoRoot(b), benchPackages)
		copyTree(b, m.src, m.applied)
		runIn(b, m.applied, m.env, m.bin, "./...")
		runIn(b, m.applied, m.env, m.bin, "check", "./...")
		bench = m
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	if bench == nil {
		b.Fatal("benchmark setup failed earlier")
	}
	return bench
}

// measure runs the command prepare returns b.N times, timing only the
// command, and reports the largest peak RSS seen.
func measure(b *testing.B, prepare func(i int) (dir string, argv []string), env []string) {
	b.ReportAllocs()
	var maxRSS int64
	var elapsed time.Duration
	for i := range b.N {
		b.StopTimer()
		dir, argv := prepare(i)
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Dir = dir
		cmd.Env = env
		b.StartTimer()
		start := time.Now()
		out, err := cmd.CombinedOutput()
		elapsed += time.Since(start)
		b.StopTimer()
		if err != nil {
			b.Fatalf("%s: %v\n%s", strings.Join(argv, " "), err, out)
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > maxRSS {
			maxRSS = ru.Maxrss
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(maxRSS)/1024, "peak-RSS-MB")
}

// BenchmarkCLIMemory measures apply on the synthetic module and on one with
// twice its packages, for the peak memory: it follows the largest package,
// not the module, so the larger module may raise it only a little.
//
//	go test -run=^$ -bench=CLIMemory -count=6 ./cmd/tracegen
func BenchmarkCLIMemory(b *testing.B) {
	m := benchSetup(b)
	for _, n := range []int{benchPackages, 2 * benchPackages} {
		src := filepath.Join(m.root, fmt.Sprintf("src%d", n))
		if _, err := os.Stat(src); err != nil {
			generateModule(b, src, repoRoot(b), n)
		}
		work := filepath.Join(m.root, "work")
		b.Run(fmt.Sprintf("apply-%dpkgs", n), func(b *testing.B) {
			measure(b, func(i int) (string, []string) {
				os.RemoveAll(work)
				copyTree(b, src, work)
				return work, []string{m.bin, "./..."}
			}, m.env)
		})
	}
}

// bustCache changes a comment in the first file of every package, so that
// the go command's caches miss for the module's packages.
func bustCache(b *testing.B, dir string, i int) {
	b.Helper()
	stamp := fmt.Sprintf("// run %d %d\n", time.Now().UnixNano(), i)
	for p := range benchPackages {
		path := filepath.Join(dir, pkgName(p), "stamp.go")
		if err := os.WriteFile(path, []byte("package "+pkgName(p)+"\n\n"+stamp), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}

func pkgName(p int) string { return fmt.Sprintf("p%03d", p) }

// generateModule writes the synthetic module of pkgs packages to dir.
// Package p imports package p/2, so that packages depend on each other as
// in real modules.
func generateModule(b *testing.B, dir, repo string, pkgs int) {
	b.Helper()
	writeFile(b, filepath.Join(dir, "go.mod"), fmt.Sprintf(
		"module example.com/big\n\ngo 1.26\n\nrequire github.com/tracegen/tracegen/runtime v0.0.0\n\nreplace github.com/tracegen/tracegen/runtime => %s\n", filepath.Join(repo, "runtime")))
	for p := range pkgs {
		for f := range benchFilesPerPkg {
			writeFile(b, filepath.Join(dir, pkgName(p), fmt.Sprintf("f%02d.go", f)), benchFile(p, f))
		}
	}
}

// benchFile is one file of the synthetic module: a type, and functions
// with and without contexts, errors and directives.
func benchFile(p, f int) string {
	var s strings.Builder
	fmt.Fprintf(&s, "// Package %s is synthetic.\npackage %s\n\nimport (\n\t\"context\"\n\t\"errors\"\n\t\"fmt\"\n\t\"strconv\"\n", pkgName(p), pkgName(p))
	dep := p / 2
	if p > 0 {
		fmt.Fprintf(&s, "\n\t\"example.com/big/%s\"\n", pkgName(dep))
	}
	s.WriteString(")\n\n")
	fmt.Fprintf(&s, "// T%d is a type with methods.\ntype T%d struct {\n\tname string\n\tn    int\n\tm    map[string]int\n}\n\n", f, f)
	for i := range benchFuncsPerFile {
		name := fmt.Sprintf("F%d_%d", f, i)
		switch i % 5 {
		case 0: // traced, context and error
			fmt.Fprintf(&s, "// %s loads.\n//\n//trace:span\nfunc %s(ctx context.Context, id int) (string, error) {\n", name, name)
			s.WriteString("\tif id < 0 {\n\t\treturn \"\", errors.New(\"negative\")\n\t}\n")
			s.WriteString("\tvar b []byte\n\tfor j := 0; j < id%7; j++ {\n\t\tb = strconv.AppendInt(b, int64(j), 10)\n\t}\n")
			if p > 0 {
				fmt.Fprintf(&s, "\tif _, err := %s.F%d_0(ctx, id-1); err != nil {\n\t\treturn \"\", fmt.Errorf(\"dep: %%w\", err)\n\t}\n", pkgName(dep), f)
			}
			s.WriteString("\treturn string(b), ctx.Err()\n}\n\n")
		case 1: // traced method with tags
			fmt.Fprintf(&s, "// %s updates.\n//\n//trace:span tags=key,n kind=client\nfunc (t *T%d) %s(ctx context.Context, key string, n int) error {\n", name, f, name)
			s.WriteString("\tif t.m == nil {\n\t\tt.m = map[string]int{}\n\t}\n\tt.m[key] += n\n\tif t.m[key] > 100 {\n\t\treturn fmt.Errorf(\"%s: too many\", key)\n\t}\n\treturn nil\n}\n\n")
		case 2: // context, not traced
			fmt.Fprintf(&s, "// %s is not traced.\nfunc %s(ctx context.Context, xs []int) int {\n\ttotal := 0\n\tfor _, x := range xs {\n\t\tselect {\n\t\tcase <-ctx.Done():\n\t\t\treturn total\n\t\tdefault:\n\t\t\ttotal += x\n\t\t}\n\t}\n\treturn total\n}\n\n", name, name)
		case 3: // no context
			fmt.Fprintf(&s, "// %s formats.\nfunc (t T%d) %s(prefix string) string {\n\treturn fmt.Sprintf(\"%%s-%%s-%%d\", prefix, t.name, t.n)\n}\n\n", name, f, name)
		case 4: // traced, noerror, generic
			fmt.Fprintf(&s, "// %s maps.\n//\n//trace:span noerror\nfunc %s[E any](ctx context.Context, xs []E, fn func(E) (E, error)) ([]E, error) {\n", name, name)
			s.WriteString("\tout := make([]E, 0, len(xs))\n\tfor _, x := range xs {\n\t\ty, err := fn(x)\n\t\tif err != nil {\n\t\t\treturn nil, err\n\t\t}\n\t\tout = append(out, y)\n\t}\n\treturn out, nil\n}\n\n")
		}
	}
	return s.String()
}

// copyTree copies the regular files under from to to.
func copyTree(b testing.TB, from, to string) {
	b.Helper()
	err := filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		target := filepath.Join(to, rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		b.Fatal(err)
	}
}
