/*
 * The window messages of the asynchronous calls (WSAAsyncSelect, WSAAsyncGet*) are posted
 * through one function: the routine a program installed with WSApSetPostRoutine (the system's
 * 16-bit layer used it to take the messages for its own windows), else user32's PostMessageW,
 * found once the process has loaded user32 (the DLL never loads it: a process without user32
 * has no window to post to).
 */
#include "openws2/core.h"

typedef BOOL(WINAPI *post_fn)(HWND, UINT, WPARAM, LPARAM);

static post_fn volatile post_routine;

/* Takes effect for every message posted from now on; NULL goes back to PostMessageW. */
int WSAAPI WSApSetPostRoutine(void *routine)
{
    post_routine = (post_fn)routine;
    return 0;
}

BOOL ws_post_message(HWND window, UINT message, WPARAM wparam, LPARAM lparam)
{
    static post_fn volatile post_message;
    post_fn post = post_routine;

    if (!post && !(post = post_message)) {
        if (!(post = (post_fn)(void *)ws_user32_proc("PostMessageW"))) return FALSE;
        post_message = post;
    }
    return post(window, message, wparam, lparam);
}
