module example.com/a

go 1.26

require github.com/tracegen/tracegen/runtime v0.0.0

replace github.com/tracegen/tracegen/runtime => ../../runtime
