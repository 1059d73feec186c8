package vendored

import (
	"context"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated joined
)

//trace:span
func Mine(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "vendored.Mine").End(&err) //tracegen:generated oneline err=unnamed
	return nil
}
