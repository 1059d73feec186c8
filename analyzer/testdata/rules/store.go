package rules

import "context"

type Store struct{ m map[string]string }

func (s *Store) Get(ctx context.Context, key string) (string, error) { // want `rules.\(\*Store\).Get: instrumentation missing \(rule store\)`
	return s.m[key], nil
}

//trace:ignore
func (s *Store) Close(ctx context.Context) error { return nil }

func (s *Store) get(ctx context.Context) {}
