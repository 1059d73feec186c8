//go:build tracegen_shim && unix

package main

import (
	"os"
	"syscall"
)

// execTool runs the program at path in place of this process.
func execTool(path string, argv []string) error {
	return syscall.Exec(path, argv, os.Environ())
}
