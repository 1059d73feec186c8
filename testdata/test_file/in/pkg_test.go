package testfile

import (
	"context"
	"testing"
)

//trace:span
func helper(ctx context.Context) error { return nil }

func TestTwo(t *testing.T) {
	if err := helper(context.Background()); err != nil || Two() != 2 {
		t.Fatal(err)
	}
}
