package testfile

import (
	"context"
	"testing"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated
)

//trace:span
func helper(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "testfile.helper").End(&err) //tracegen:generated oneline err=unnamed
	return nil
}

func TestTwo(t *testing.T) {
	if err := helper(context.Background()); err != nil || Two() != 2 {
		t.Fatal(err)
	}
}
