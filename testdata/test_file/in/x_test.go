package testfile_test

import (
	"context"
	"testing"
)

//trace:span
func xhelper(ctx context.Context) (err error) { return nil }

func TestX(t *testing.T) { _ = xhelper(context.Background()) }
