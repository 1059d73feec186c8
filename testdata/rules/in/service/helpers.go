package service

import "context"

// CreateDraft is in helpers.go, which rule service's files leave out.
func CreateDraft(ctx context.Context) error { return nil }
