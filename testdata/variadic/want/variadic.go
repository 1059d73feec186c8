package variadic

import (
	"context"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated joined
)

//trace:span tags=sep
func Join(ctx context.Context, sep string, parts ...string) (_ string, err error) {
	defer tracegen.Start(&ctx, "variadic.Join").TagString("sep", sep).End(&err) //tracegen:generated err=unnamed
	s := ""
	for i, p := range parts {
		if i > 0 {
			s += sep
		}
		s += p
	}
	return s, nil
}
