package store

import (
	"context"
	"errors"
	"testing"
)

func TestStore(t *testing.T) {
	ctx := context.Background()
	var s Store
	if err := s.Put(ctx, "a", "1"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Get(ctx, "a"); v != "1" || err != nil {
		t.Fatalf("Get = %q, %v", v, err)
	}
	if err := s.Delete(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "a"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: %v", err)
	}
	if s.Len(ctx) != 0 || s.Size() != 0 || len(s.keys(ctx)) != 0 || s.Close(ctx) != nil {
		t.Fatal("not empty")
	}
}
