//go:build tracegen_shim && !unix

package main

import "errors"

// execTool cannot replace this process here: the caller runs the program
// as a child.
func execTool(path string, argv []string) error { return errors.ErrUnsupported }
