package buildtags

import (
	"context"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated joined
)

//trace:span
func Plain(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "buildtags.Plain").End(&err) //tracegen:generated oneline err=unnamed
	return nil
}
