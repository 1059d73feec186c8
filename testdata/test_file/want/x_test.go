package testfile_test

import (
	"context"
	"testing"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated
)

//trace:span
func xhelper(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "testfile_test.xhelper").End(&err) //tracegen:generated oneline
	return nil
}

func TestX(t *testing.T) { _ = xhelper(context.Background()) }
