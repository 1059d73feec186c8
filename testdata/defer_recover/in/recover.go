package deferrecover

import (
	"context"
	"fmt"
)

//trace:span
func Safe(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	defer fmt.Println("done")
	panic("boom")
}
