package clash

// tracegen3 is declared in another file of the package.
var tracegen3 = 3
