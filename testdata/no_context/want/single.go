package root

import "fmt"

import tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated

//trace:span root tags=msg
func Print(msg string) {
	defer tracegen.Start(nil, "root.Print").TagString("msg", msg).End(nil) //tracegen:generated oneline
	fmt.Println(msg)
}
