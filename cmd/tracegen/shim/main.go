//go:build tracegen_shim

// Command shim is the -toolexec of tracegen's build-time mode. The go
// command runs it for every tool of a build, and first asks each tool who
// it is (-V=full; -### for the C compiler): the shim answers those from a
// cache folder, and runs every other tool directly, except the compiler of
// a main module's package (which has tracegen's key flag) and the linker,
// which it hands to tracegen. It uses the standard library only, so that
// it starts in a fraction of tracegen's time. tracegen builds it into its
// cache folder from the files of this folder, with the build tag
// tracegen_shim, which keeps it out of go install ./cmd/...
//
// Usage: shim TRACEGEN STATE TOOL [ARG...]
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// keyFlag is the compiler flag tracegen build gives a main module's
// packages; tracegen removes it.
const keyFlag = "-tracegen="

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: shim TRACEGEN STATE TOOL [ARG...]")
		os.Exit(2)
	}
	tracegen, state, tool, args := os.Args[1], os.Args[2], os.Args[3], os.Args[4:]
	if len(args) == 1 && args[0] == "-V=full" || len(args) > 0 && args[0] == "-###" {
		os.Exit(identity(filepath.Dir(state), tool, args))
	}
	name := strings.TrimSuffix(filepath.Base(tool), ".exe")
	if name == "link" || name == "compile" && slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(a, keyFlag) }) {
		run(tracegen, append([]string{"__build", state, tool}, args...))
	}
	run(tool, args)
}

// run runs path with args in place of this process, or as a child where
// that cannot be done, and exits with its status.
func run(path string, args []string) {
	p, err := exec.LookPath(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "tracegen: %v\n", err)
		os.Exit(2)
	}
	if err := execTool(p, append([]string{path}, args...)); !errors.Is(err, errors.ErrUnsupported) {
		fmt.Fprintf(os.Stderr, "tracegen: %s: %v\n", path, err)
		os.Exit(2)
	}
	c := exec.Command(p, args...)
	c.Stdin, c.Stdout, c.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := c.Run(); err != nil {
		if exit, ok := err.(*exec.ExitError); ok {
			os.Exit(exit.ExitCode())
		}
		fmt.Fprintf(os.Stderr, "tracegen: %v\n", err)
		os.Exit(2)
	}
	os.Exit(0)
}

// identity prints what tool prints for args (combined: the go command
// reads the C compiler's answer so), from the cache folder dir when it
// was asked before with the same binary and environment.
func identity(dir, tool string, args []string) int {
	path, err := exec.LookPath(tool)
	if err != nil {
		run(tool, args)
	}
	fi, err := os.Stat(path)
	if err != nil {
		run(tool, args)
	}
	// The variables that may change the answer: the go command's, the C
	// compiler's, the locale and the PATH it finds its parts in.
	var env []string
	for _, kv := range os.Environ() {
		for _, p := range []string{"GO", "CC", "CGO_", "CPATH", "COMPILER_PATH", "GCC_", "LIBRARY_PATH", "LC_", "LANG", "PATH="} {
			if strings.HasPrefix(kv, p) {
				env = append(env, kv)
				break
			}
		}
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "%s %d %d %q %q", path, fi.Size(), fi.ModTime().UnixNano(), args, env))
	cached := filepath.Join(dir, "tool-"+hex.EncodeToString(sum[:12]))
	if out, err := os.ReadFile(cached); err == nil {
		os.Stdout.Write(out)
		return 0
	}
	var out bytes.Buffer
	c := exec.Command(path, args...)
	c.Stdout, c.Stderr = &out, &out
	if err := c.Run(); err != nil {
		os.Stdout.Write(out.Bytes())
		if exit, ok := err.(*exec.ExitError); ok {
			return exit.ExitCode()
		}
		return 2
	}
	// Written aside and renamed, so that a concurrent build never reads
	// half of it.
	if f, err := os.CreateTemp(dir, ".tool-*"); err == nil {
		_, werr := f.Write(out.Bytes())
		if cerr := f.Close(); werr == nil && cerr == nil {
			os.Rename(f.Name(), cached)
		} else {
			os.Remove(f.Name())
		}
	}
	os.Stdout.Write(out.Bytes())
	return 0
}
