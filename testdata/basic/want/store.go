// Package store is the basic case: a method with a context, an error result
// and every option.
package store

import (
	"context"
	"errors"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated
)

// Store keeps values.
type Store struct{ m map[string]string }

// Get returns the value of key.
//
//trace:span tags=key,n kind=client ifactive
func (s *Store) Get(ctx context.Context, key string, n int) (_ string, err error) {
	defer tracegen.Start(&ctx, "store.(*Store).Get", tracegen.IfActive, tracegen.KindClient).TagString("key", key).TagInt("n", int64(n)).End(&err) //tracegen:generated err=unnamed
	if key == "" {
		return "", errors.New("empty key")
	}
	return s.m[key], nil
}

// Put stores a value.
//
//trace:span name="store.put" noerror
func (s *Store) Put(ctx context.Context, key, value string) error {
	defer tracegen.Start(&ctx, "store.put").End(nil) //tracegen:generated
	s.m[key] = value
	return nil
}

// Len is not traced.
func (s *Store) Len() int { return len(s.m) }

//trace:ignore
func (s *Store) Ignored(ctx context.Context) error { return nil }
