package clash

import (
	"context"
	"fmt"

	tracegen4 "github.com/tracegen/tracegen/runtime" //tracegen:generated
)

var tracegen = "a package-level name"

func tracegen2() string { return tracegen }

//trace:span
func UsesNames(ctx context.Context) (err error) {
	defer tracegen4.Start(&ctx, "clash.UsesNames").End(&err) //tracegen:generated err=unnamed
	fmt.Println(tracegen2())
	return nil
}
