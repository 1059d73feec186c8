// Package store is the basic case: a method with a context, an error result
// and every option.
package store

import (
	"context"
	"errors"
)

// Store keeps values.
type Store struct{ m map[string]string }

// Get returns the value of key.
//
//trace:span tags=key,n kind=client ifactive
func (s *Store) Get(ctx context.Context, key string, n int) (string, error) {
	if key == "" {
		return "", errors.New("empty key")
	}
	return s.m[key], nil
}

// Put stores a value.
//
//trace:span name="store.put" noerror
func (s *Store) Put(ctx context.Context, key, value string) error {
	s.m[key] = value
	return nil
}

// Len is not traced.
func (s *Store) Len() int { return len(s.m) }

//trace:ignore
func (s *Store) Ignored(ctx context.Context) error { return nil }
