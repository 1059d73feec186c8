package main

import (
	"bytes"
	"go/scanner"
	"go/token"
	"sort"
)

// cgo gives the compiler its own output for each cgo file: the file's text
// with its uses of C rewritten, and //line and /*line*/ comments that keep
// the original positions of the text around each rewrite. Build-time mode
// applies the rewrite of the original file to that output: each edit goes
// to the place in the output of its offset in the original.

// cgoMapping returns the function that maps an offset of orig to its
// offset in out, cgo's output for it. Tokens at the same position (as the
// output's line comments give it) are anchors; an offset maps from the
// nearest anchor before it whose text up to the offset is the same in
// both.
func cgoMapping(out, orig []byte) func(int) (int, bool) {
	type lineCol struct{ line, col int }
	fset := token.NewFileSet()
	outPos := map[lineCol]int{}
	scan(fset, out, func(f *token.File, pos token.Pos) {
		p := f.PositionFor(pos, true)
		outPos[lineCol{p.Line, p.Column}] = f.Offset(pos)
	})
	type anchor struct{ orig, out int }
	var anchors []anchor
	scan(fset, orig, func(f *token.File, pos token.Pos) {
		p := f.PositionFor(pos, false)
		o := f.Offset(pos)
		if q, ok := outPos[lineCol{p.Line, p.Column}]; ok && out[q] == orig[o] {
			anchors = append(anchors, anchor{o, q})
		}
	})
	return func(off int) (int, bool) {
		i := sort.Search(len(anchors), func(i int) bool { return anchors[i].orig > off })
		for i--; i >= 0; i-- {
			a := anchors[i]
			n := off - a.orig
			if a.out+n <= len(out) && bytes.Equal(orig[a.orig:off], out[a.out:a.out+n]) {
				return a.out + n, true
			}
		}
		return 0, false
	}
}

// scan calls fn with the position of each token and comment of src.
func scan(fset *token.FileSet, src []byte, fn func(*token.File, token.Pos)) {
	f := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	s.Init(f, src, func(token.Position, string) {}, scanner.ScanComments)
	for {
		pos, tok, _ := s.Scan()
		if tok == token.EOF {
			return
		}
		fn(f, pos)
	}
}

// cgoOutputOf reports whether src is cgo's output for the file path.
func cgoOutputOf(src []byte, path string) bool {
	head := src[:min(len(src), 1024)]
	return bytes.Contains(head, []byte("\n//line "+path+":1:1\n"))
}
