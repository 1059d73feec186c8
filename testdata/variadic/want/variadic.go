package variadic

import "context"

import tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated

//trace:span tags=sep
func Join(ctx context.Context, sep string, parts ...string) (_ string, tracegenErr error) {
	defer tracegen.Start(&ctx, "variadic.Join").TagString("sep", sep).End(&tracegenErr) //tracegen:generated
	s := ""
	for i, p := range parts {
		if i > 0 {
			s += sep
		}
		s += p
	}
	return s, nil
}
