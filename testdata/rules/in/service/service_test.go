package service

import (
	"context"
	"testing"
)

func TestService(t *testing.T) {
	ctx := context.Background()
	if CreateUser(ctx, "") == nil || CreateUser(ctx, "a") != nil || DeleteUser(ctx, 1) != nil || DeleteAll(ctx) != nil {
		t.Fatal("users")
	}
	if CreateSession(ctx) != "s" {
		t.Fatal("session")
	}
	var s Svc
	if out, err := s.Handle(ctx, "x"); out != "X" || err != nil || s.Tiny(ctx) != 1 {
		t.Fatalf("Handle = %q, %v", out, err)
	}
}

func TestMock(t *testing.T) {
	var m MockSvc
	if out, err := m.Handle(context.Background(), "x"); out != "x" || err != nil || CreateDraft(context.Background()) != nil {
		t.Fatal(out, err)
	}
}
