// Package store keeps values by key.
package store

import (
	"context"
	"errors"
)

// ErrNotFound is returned for a key with no value.
var ErrNotFound = errors.New("not found")

// Store is a map.
type Store struct {
	m map[string]string
}

// Get returns the value of key.
func (s *Store) Get(ctx context.Context, key string) (string, error) {
	v, ok := s.m[key]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

// Put sets the value of key.
func (s *Store) Put(ctx context.Context, key, value string) error {
	if s.m == nil {
		s.m = map[string]string{}
	}
	s.m[key] = value
	return nil
}

// Delete removes key: its directive names the span, the rule gives the
// tags.
//
//trace:span name=store.remove
func (s *Store) Delete(ctx context.Context, key string) error {
	delete(s.m, key)
	return nil
}

// Close is excluded from the rules.
//
//trace:ignore
func (s *Store) Close(ctx context.Context) error { return nil }

// Len is a value method: (*Store) selects pointer receivers only.
func (s Store) Len(ctx context.Context) int { return len(s.m) }

// Size has no context: no rule selects it.
func (s *Store) Size() int { return len(s.m) }

// keys is unexported.
func (s *Store) keys(ctx context.Context) []string {
	var out []string
	for k := range s.m {
		out = append(out, k)
	}
	return out
}
