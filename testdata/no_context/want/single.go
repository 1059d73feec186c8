package root

import (
	"fmt"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated joined
)

//trace:span root tags=msg
func Print(msg string) {
	defer tracegen.Start(nil, "root.Print").TagString("msg", msg).End(nil) //tracegen:generated oneline
	fmt.Println(msg)
}
