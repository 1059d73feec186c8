package main

import (
	"encoding/json"
	"path/filepath"
	"testing"
)

// TestRuntimeModule: the runtime module requires nothing and its go line is
// the one tracegen tells users about, so that adding it to a module at that
// go line or later changes neither the go line nor any other requirement.
func TestRuntimeModule(t *testing.T) {
	info, err := readGoMod(filepath.Join(repoRoot(t), "runtime"))
	if err != nil {
		t.Fatal(err)
	}
	if info.goLine != runtimeGoLine {
		t.Errorf("runtime/go.mod says go %s; runtimeGoLine is %s", info.goLine, runtimeGoLine)
	}
	out := runIn(t, filepath.Join(repoRoot(t), "runtime"), offlineEnv(t), "go", "mod", "edit", "-json")
	var f struct{ Require []struct{ Path string } }
	if err := json.Unmarshal(out, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Require) != 0 {
		t.Errorf("runtime/go.mod requires %v; it must require nothing", f.Require)
	}
}
