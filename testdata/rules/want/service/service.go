// Package service has functions and methods for the rules to choose from.
package service

import (
	"context"
	"errors"
	"strings"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated
)

// CreateUser is selected by rule service.
func CreateUser(ctx context.Context, name string) (err error) {
	defer tracegen.Start(&ctx, "service.CreateUser", tracegen.KindServer).End(&err) //tracegen:generated err=unnamed
	if name == "" {
		return errors.New("empty name")
	}
	return nil
}

// DeleteUser is selected by rule service.
func DeleteUser(ctx context.Context, id int) (err error) {
	defer tracegen.Start(&ctx, "service.DeleteUser", tracegen.KindServer).End(&err) //tracegen:generated oneline err=unnamed
	return nil
}

// DeleteAll is excluded by name.
func DeleteAll(ctx context.Context) error { return nil }

// CreateSession returns no error: signature.error leaves it out.
func CreateSession(ctx context.Context) string { return "s" }

// Svc is a service.
type Svc struct{ calls int }

// Handle has three statements: rule #4 selects it.
func (s *Svc) Handle(ctx context.Context, in string) (string, error) {
	defer tracegen.Start(&ctx, "service.(*Svc).Handle").End(nil) //tracegen:generated
	s.calls++
	out := strings.ToUpper(in)
	return out, nil
}

// Tiny has one.
func (s *Svc) Tiny(ctx context.Context) int { return s.calls }

// MockSvc is excluded by receiver from rule #4.
type MockSvc struct{ calls int }

// Handle has three statements, but its receiver is excluded.
func (m *MockSvc) Handle(ctx context.Context, in string) (string, error) {
	m.calls++
	out := in
	return out, nil
}
