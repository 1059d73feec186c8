package clash

import (
	"context"
	"fmt"

	tracegen4 "github.com/tracegen/tracegen/runtime" //tracegen:generated
)

var tracegen = "a package-level name"

func tracegen2() string { return tracegen }

//trace:span
func UsesNames(ctx context.Context) (tracegenErr error) {
	defer tracegen4.Start(&ctx, "clash.UsesNames").End(&tracegenErr) //tracegen:generated
	fmt.Println(tracegen2())
	return nil
}
