// GLFW 3.3 from Debian's libglfw3-dev: windows, OpenGL contexts and input for rendering.
#ifndef SPO_CGLFW_SHIM_H
#define SPO_CGLFW_SHIM_H
#include <GLFW/glfw3.h>
#endif
