// Package testenv finds the servers that integration tests need.
//
// A test asks for a server by the environment variable that names it. When
// the variable is unset the test is skipped on a developer's machine, but
// fails under CI (CI=true), where .ci/run must have started the server.
package testenv

import (
	"os"
	"testing"
)

// Server returns the value of the environment variable name, which points
// at a running server (an address or a DSN).
func Server(t testing.TB, name, what string) string {
	t.Helper()
	if v := os.Getenv(name); v != "" {
		return v
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not set: CI must start %s (see .ci/start-services)", name, what)
	}
	t.Skipf("%s is not set: start %s (eval \"$(.ci/start-services)\") to run this test", name, what)
	return ""
}
