package clash

import (
	"context"
	"fmt"
)

var tracegen = "a package-level name"

func tracegen2() string { return tracegen }

//trace:span
func UsesNames(ctx context.Context) error {
	fmt.Println(tracegen2())
	return nil
}
