// GLFW 3.3 from Debian's libglfw3-dev: windows, OpenGL contexts and input for rendering;
// glfw3.h also declares OpenGL 1.x (GL/gl.h), used to name the renderer.
#ifndef SPO_CGLFW_SHIM_H
#define SPO_CGLFW_SHIM_H
#include <GLFW/glfw3.h>
#endif
