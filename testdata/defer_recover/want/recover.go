package deferrecover

import (
	"context"
	"fmt"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated
)

//trace:span
func Safe(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "deferrecover.Safe").End(&err) //tracegen:generated
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	defer fmt.Println("done")
	panic("boom")
}
