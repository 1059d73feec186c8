package root

import tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated

// Main starts a root span.
//
//trace:span root
func Main() (err error) {
	defer tracegen.Start(nil, "root.Main").End(&err) //tracegen:generated oneline err=unnamed
	return nil
}
