package testfile

import (
	"context"
	"testing"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated
)

//trace:span
func helper(ctx context.Context) (tracegenErr error) {
	defer tracegen.Start(&ctx, "testfile.helper").End(&tracegenErr) //tracegen:generated oneline
	return nil
}

func TestTwo(t *testing.T) {
	if err := helper(context.Background()); err != nil || Two() != 2 {
		t.Fatal(err)
	}
}
