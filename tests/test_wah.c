/*
 * ws2help's helpers exported by ws2_32 (Wah*): the handle context table, the APC helper, the
 * handle helper (ws2ifsl, absent), the catalog change notification helper.
 */
#include "ws_test.h"
#include <ws2spi.h>
#include <stdbool.h>
#include "../include/openws2/wah.h"

/* A provider's context object: the table's head first, the provider's data after it. */
struct ctx {
    WAH_HANDLE_CONTEXT head;
    int data;
};

static void init_ctx(struct ctx *c, ULONG_PTR handle)
{
    c->head.RefCount = 1;
    c->head.Handle = (HANDLE)handle;
    c->data = (int)handle;
}

/* ---- the handle context table ---- */

static void test_a_created_table_finds_an_inserted_context_by_its_handle(void **state)
{
    PWAH_HANDLE_TABLE table = NULL;
    struct ctx c;
    (void)state;
    init_ctx(&c, 0x104);
    assert_int_equal(WahCreateHandleContextTable(&table), NO_ERROR);
    assert_non_null(table);
    assert_ptr_equal(WahInsertHandleContext(table, &c.head), &c.head);
    assert_ptr_equal(WahReferenceContextByHandle(table, (HANDLE)0x104), &c.head);
    /* Each reference counts. */
    assert_int_equal(c.head.RefCount, 2);
    assert_ptr_equal(WahReferenceContextByHandle(table, (HANDLE)0x104), &c.head);
    assert_int_equal(c.head.RefCount, 3);
    assert_int_equal(WahDestroyHandleContextTable(table), NO_ERROR);
}

static void test_reference_of_an_unknown_handle_returns_NULL(void **state)
{
    PWAH_HANDLE_TABLE table;
    struct ctx c;
    (void)state;
    init_ctx(&c, 0x200);
    assert_int_equal(WahCreateHandleContextTable(&table), NO_ERROR);
    assert_null(WahReferenceContextByHandle(table, (HANDLE)0x200));
    WahInsertHandleContext(table, &c.head);
    assert_null(WahReferenceContextByHandle(table, (HANDLE)0x204));
    assert_int_equal(c.head.RefCount, 1);
    WahDestroyHandleContextTable(table);
}

static void test_insert_of_a_handle_already_there_replaces_and_returns_the_old_context(void **state)
{
    PWAH_HANDLE_TABLE table;
    struct ctx old_ctx, new_ctx;
    (void)state;
    init_ctx(&old_ctx, 0x300);
    init_ctx(&new_ctx, 0x300);
    assert_int_equal(WahCreateHandleContextTable(&table), NO_ERROR);
    assert_ptr_equal(WahInsertHandleContext(table, &old_ctx.head), &old_ctx.head);
    assert_ptr_equal(WahInsertHandleContext(table, &new_ctx.head), &old_ctx.head);
    assert_ptr_equal(WahReferenceContextByHandle(table, (HANDLE)0x300), &new_ctx.head);
    /* The replaced context is no longer in the table. */
    assert_int_equal(WahRemoveHandleContext(table, &old_ctx.head), ERROR_INVALID_PARAMETER);
    assert_int_equal(WahRemoveHandleContext(table, &new_ctx.head), NO_ERROR);
    WahDestroyHandleContextTable(table);
}

static void test_remove_takes_the_context_out_and_fails_the_second_time(void **state)
{
    PWAH_HANDLE_TABLE table;
    struct ctx c;
    (void)state;
    init_ctx(&c, 0x400);
    assert_int_equal(WahCreateHandleContextTable(&table), NO_ERROR);
    /* Not inserted yet. */
    assert_int_equal(WahRemoveHandleContext(table, &c.head), ERROR_INVALID_PARAMETER);
    WahInsertHandleContext(table, &c.head);
    assert_int_equal(WahRemoveHandleContext(table, &c.head), NO_ERROR);
    assert_null(WahReferenceContextByHandle(table, (HANDLE)0x400));
    assert_int_equal(WahRemoveHandleContext(table, &c.head), ERROR_INVALID_PARAMETER);
    WahDestroyHandleContextTable(table);
}

static void test_remove_of_another_context_with_the_same_handle_fails(void **state)
{
    PWAH_HANDLE_TABLE table;
    struct ctx in_table, other;
    (void)state;
    init_ctx(&in_table, 0x500);
    init_ctx(&other, 0x500);
    assert_int_equal(WahCreateHandleContextTable(&table), NO_ERROR);
    WahInsertHandleContext(table, &in_table.head);
    assert_int_equal(WahRemoveHandleContext(table, &other.head), ERROR_INVALID_PARAMETER);
    assert_ptr_equal(WahReferenceContextByHandle(table, (HANDLE)0x500), &in_table.head);
    WahDestroyHandleContextTable(table);
}

static void test_table_calls_with_bad_arguments_fail_with_ERROR_INVALID_PARAMETER(void **state)
{
    (void)state;
    assert_int_equal(WahCreateHandleContextTable(NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(WahDestroyHandleContextTable(NULL), ERROR_INVALID_PARAMETER);
    assert_null(WahInsertHandleContext(NULL, NULL));
    assert_int_equal(WahRemoveHandleContext(NULL, NULL), ERROR_INVALID_PARAMETER);
    assert_null(WahReferenceContextByHandle(NULL, (HANDLE)4));
}

#define MANY 5000

static struct ctx many[MANY];

static void test_thousands_of_contexts_are_found_and_removed(void **state)
{
    PWAH_HANDLE_TABLE table;
    (void)state;
    assert_int_equal(WahCreateHandleContextTable(&table), NO_ERROR);
    for (int i = 0; i < MANY; i++) {
        init_ctx(&many[i], 0x1000 + 4 * (ULONG_PTR)i);
        assert_ptr_equal(WahInsertHandleContext(table, &many[i].head), &many[i].head);
    }
    for (int i = 0; i < MANY; i++)
        assert_ptr_equal(WahReferenceContextByHandle(table, many[i].head.Handle), &many[i].head);
    for (int i = 0; i < MANY; i += 2)
        assert_int_equal(WahRemoveHandleContext(table, &many[i].head), NO_ERROR);
    for (int i = 0; i < MANY; i++) {
        PWAH_HANDLE_CONTEXT found = WahReferenceContextByHandle(table, many[i].head.Handle);
        if (i % 2)
            assert_ptr_equal(found, &many[i].head);
        else
            assert_null(found);
    }
    WahDestroyHandleContextTable(table);
}

struct visit {
    PWAH_HANDLE_TABLE table;
    int seen;
    int stop_after; /* 0: never */
    bool remove;    /* remove each context visited */
    int sum;
};

static BOOL WINAPI visit_one(void *context, PWAH_HANDLE_CONTEXT handle)
{
    struct visit *v = context;
    v->seen++;
    v->sum += ((struct ctx *)handle)->data;
    if (v->remove && WahRemoveHandleContext(v->table, handle) != NO_ERROR) return FALSE;
    return !(v->stop_after && v->seen == v->stop_after);
}

static void test_enumerate_visits_every_context_once_and_returns_TRUE(void **state)
{
    struct visit v = {0};
    int sum = 0;
    (void)state;
    assert_int_equal(WahCreateHandleContextTable(&v.table), NO_ERROR);
    for (int i = 0; i < 300; i++) {
        init_ctx(&many[i], 0x2000 + 4 * (ULONG_PTR)i);
        WahInsertHandleContext(v.table, &many[i].head);
        sum += many[i].data;
    }
    assert_true(WahEnumerateHandleContexts(v.table, visit_one, &v));
    assert_int_equal(v.seen, 300);
    assert_int_equal(v.sum, sum);
    WahDestroyHandleContextTable(v.table);
}

static void test_enumerate_stops_when_the_callback_returns_FALSE(void **state)
{
    struct visit v = {0};
    (void)state;
    v.stop_after = 10;
    assert_int_equal(WahCreateHandleContextTable(&v.table), NO_ERROR);
    for (int i = 0; i < 100; i++) {
        init_ctx(&many[i], 0x3000 + 4 * (ULONG_PTR)i);
        WahInsertHandleContext(v.table, &many[i].head);
    }
    assert_false(WahEnumerateHandleContexts(v.table, visit_one, &v));
    assert_int_equal(v.seen, 10);
    WahDestroyHandleContextTable(v.table);
}

static void test_the_enumerate_callback_may_remove_every_context(void **state)
{
    struct visit v = {0};
    (void)state;
    v.remove = true;
    assert_int_equal(WahCreateHandleContextTable(&v.table), NO_ERROR);
    for (int i = 0; i < 500; i++) {
        init_ctx(&many[i], 0x4000 + 4 * (ULONG_PTR)i);
        WahInsertHandleContext(v.table, &many[i].head);
    }
    assert_true(WahEnumerateHandleContexts(v.table, visit_one, &v));
    assert_int_equal(v.seen, 500);
    v.seen = 0;
    v.remove = false;
    assert_true(WahEnumerateHandleContexts(v.table, visit_one, &v));
    assert_int_equal(v.seen, 0);
    /* Reinserting after the enumeration works. */
    assert_ptr_equal(WahInsertHandleContext(v.table, &many[7].head), &many[7].head);
    assert_ptr_equal(WahReferenceContextByHandle(v.table, many[7].head.Handle), &many[7].head);
    WahDestroyHandleContextTable(v.table);
}

#define THREADS    4
#define PER_THREAD 2000

struct worker {
    PWAH_HANDLE_TABLE table;
    int index;
    int failures;
};

static struct ctx thread_ctx[THREADS][PER_THREAD];

static DWORD WINAPI table_worker(void *arg)
{
    struct worker *w = arg;
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < PER_THREAD; i++) {
            struct ctx *c = &thread_ctx[w->index][i];
            init_ctx(c, 0x100000 * (ULONG_PTR)(w->index + 1) + 4 * (ULONG_PTR)i);
            if (WahInsertHandleContext(w->table, &c->head) != &c->head) w->failures++;
        }
        for (int i = 0; i < PER_THREAD; i++) {
            struct ctx *c = &thread_ctx[w->index][i];
            if (WahReferenceContextByHandle(w->table, c->head.Handle) != &c->head) w->failures++;
        }
        for (int i = 0; i < PER_THREAD; i++) {
            if (WahRemoveHandleContext(w->table, &thread_ctx[w->index][i].head) != NO_ERROR)
                w->failures++;
        }
    }
    return 0;
}

static BOOL WINAPI count_one(void *context, PWAH_HANDLE_CONTEXT handle)
{
    (void)handle;
    (*(int *)context)++;
    return TRUE;
}

static void test_threads_inserting_and_removing_at_once_lose_nothing(void **state)
{
    struct worker workers[THREADS];
    HANDLE threads[THREADS];
    PWAH_HANDLE_TABLE table;
    int left = 0;
    (void)state;
    assert_int_equal(WahCreateHandleContextTable(&table), NO_ERROR);
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (struct worker){table, i, 0};
        threads[i] = CreateThread(NULL, 0, table_worker, &workers[i], 0, NULL);
        assert_non_null(threads[i]);
    }
    /* Enumerations run alongside. */
    while (WaitForMultipleObjects(THREADS, threads, TRUE, 0) == WAIT_TIMEOUT) {
        int seen = 0;
        assert_true(WahEnumerateHandleContexts(table, count_one, &seen));
    }
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(workers[i].failures, 0);
        CloseHandle(threads[i]);
    }
    assert_true(WahEnumerateHandleContexts(table, count_one, &left));
    assert_int_equal(left, 0);
    WahDestroyHandleContextTable(table);
}

/* ---- the APC helper ---- */

static volatile LONG apc_runs;
static volatile DWORD apc_thread;

static void CALLBACK count_apc(DWORD_PTR context)
{
    InterlockedExchangeAdd(&apc_runs, (LONG)context);
    apc_thread = GetCurrentThreadId();
}

static void test_a_queued_apc_runs_when_the_thread_waits_alertably(void **state)
{
    HANDLE helper = NULL;
    WSATHREADID thread = {0};
    (void)state;
    assert_int_equal(WahOpenApcHelper(&helper), NO_ERROR);
    assert_non_null(helper);
    assert_int_equal(WahOpenCurrentThread(helper, &thread), NO_ERROR);
    assert_non_null(thread.ThreadHandle);
    apc_runs = 0;
    assert_int_equal(WahQueueUserApc(helper, &thread, count_apc, 5), NO_ERROR);
    /* Not before an alertable wait. */
    assert_int_equal(apc_runs, 0);
    assert_int_equal(SleepEx(0, TRUE), WAIT_IO_COMPLETION);
    assert_int_equal(apc_runs, 5);
    assert_int_equal(WahCloseThread(helper, &thread), NO_ERROR);
    assert_null(thread.ThreadHandle);
    assert_int_equal(WahCloseApcHelper(helper), NO_ERROR);
}

struct apc_target {
    HANDLE helper;
    WSATHREADID thread;
    HANDLE opened, done;
};

static DWORD WINAPI alertable_thread(void *arg)
{
    struct apc_target *t = arg;
    WahOpenCurrentThread(t->helper, &t->thread);
    SetEvent(t->opened);
    /* Waits until the APC arrives (bounded). */
    SleepEx(10000, TRUE);
    SetEvent(t->done);
    return 0;
}

static void test_an_apc_queued_from_another_thread_runs_on_the_opened_thread(void **state)
{
    struct apc_target t = {0};
    HANDLE thread;
    DWORD tid;
    (void)state;
    assert_int_equal(WahOpenApcHelper(&t.helper), NO_ERROR);
    t.opened = CreateEventW(NULL, TRUE, FALSE, NULL);
    t.done = CreateEventW(NULL, TRUE, FALSE, NULL);
    apc_runs = 0;
    thread = CreateThread(NULL, 0, alertable_thread, &t, 0, &tid);
    assert_int_equal(WaitForSingleObject(t.opened, 5000), WAIT_OBJECT_0);
    assert_int_equal(WahQueueUserApc(t.helper, &t.thread, count_apc, 1), NO_ERROR);
    assert_int_equal(WaitForSingleObject(t.done, 5000), WAIT_OBJECT_0);
    assert_int_equal(apc_runs, 1);
    assert_int_equal(apc_thread, tid);
    WaitForSingleObject(thread, 5000);
    assert_int_equal(WahCloseThread(t.helper, &t.thread), NO_ERROR);
    CloseHandle(thread);
    CloseHandle(t.opened);
    CloseHandle(t.done);
}

static void test_apc_helper_calls_with_bad_arguments_fail_with_ERROR_INVALID_PARAMETER(void **state)
{
    HANDLE helper;
    WSATHREADID thread = {0};
    (void)state;
    assert_int_equal(WahOpenApcHelper(NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(WahOpenApcHelper(&helper), NO_ERROR);
    assert_int_equal(WahCloseApcHelper((HANDLE)0x1234), ERROR_INVALID_PARAMETER);
    assert_int_equal(WahOpenCurrentThread((HANDLE)0x1234, &thread), ERROR_INVALID_PARAMETER);
    assert_int_equal(WahOpenCurrentThread(helper, NULL), ERROR_INVALID_PARAMETER);
    /* A thread id that was never opened. */
    assert_int_equal(WahCloseThread(helper, &thread), ERROR_INVALID_PARAMETER);
    assert_int_equal(WahQueueUserApc(helper, &thread, count_apc, 0), ERROR_INVALID_PARAMETER);
    assert_int_equal(WahOpenCurrentThread(helper, &thread), NO_ERROR);
    assert_int_equal(WahQueueUserApc(helper, &thread, NULL, 0), ERROR_INVALID_PARAMETER);
    assert_int_equal(WahQueueUserApc((HANDLE)0x1234, &thread, count_apc, 0),
                     ERROR_INVALID_PARAMETER);
    assert_int_equal(WahCloseThread(helper, &thread), NO_ERROR);
}

/* ---- the handle helper ---- */

static void test_the_handle_helper_fails_as_on_windows_without_the_ws2ifsl_driver(void **state)
{
    HANDLE helper = (HANDLE)0x55;
    DWORD ret;
    (void)state;
    assert_int_equal(WahOpenHandleHelper(NULL), ERROR_INVALID_PARAMETER);
    ret = WahOpenHandleHelper(&helper);
    /* The driver's device does not exist: the open's "not found" error. */
    assert_true(ret == ERROR_PATH_NOT_FOUND || ret == ERROR_FILE_NOT_FOUND);
    assert_int_equal(WahEnableNonIFSHandleSupport(), ERROR_SERVICE_DOES_NOT_EXIST);
    assert_int_equal(WahDisableNonIFSHandleSupport(), NO_ERROR);
}

static void test_socket_handles_without_a_handle_helper_fail_with_ERROR_INVALID_PARAMETER(
    void **state)
{
    SOCKET s = 0;
    (void)state;
    assert_int_equal(WahCreateSocketHandle(NULL, &s), ERROR_INVALID_PARAMETER);
    assert_int_equal(WahCloseSocketHandle(NULL, s), ERROR_INVALID_PARAMETER);
    assert_int_equal(WahCloseHandleHelper(NULL), ERROR_INVALID_PARAMETER);
}

static void test_WahCompleteRequest_completes_the_overlapped_and_sets_its_event(void **state)
{
    SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    WSAOVERLAPPED ov = {0};
    DWORD bytes = 0, flags = 0;
    (void)state;
    assert_true(s != INVALID_SOCKET);
    ov.hEvent = WSACreateEvent();
    assert_int_equal(WahCompleteRequest(NULL, s, &ov, 0, 42), NO_ERROR);
    assert_int_equal(WaitForSingleObject(ov.hEvent, 0), WAIT_OBJECT_0);
    assert_true(WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags));
    assert_int_equal(bytes, 42);
    assert_int_equal(WahCompleteRequest(NULL, s, NULL, 0, 0), ERROR_INVALID_PARAMETER);
    WSACloseEvent(ov.hEvent);
    closesocket(s);
}

/* ---- the notification helper ---- */

static void test_notify_all_processes_completes_every_waiting_listener(void **state)
{
    HANDLE helper, a, b;
    OVERLAPPED ov_a = {0}, ov_b = {0};
    (void)state;
    assert_int_equal(WahOpenNotificationHandleHelper(&helper), NO_ERROR);
    assert_int_equal(WahCreateNotificationHandle(helper, &a), NO_ERROR);
    assert_int_equal(WahCreateNotificationHandle(helper, &b), NO_ERROR);
    ov_a.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    ov_b.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    assert_int_equal(WahWaitForNotification(helper, a, &ov_a, NULL), ERROR_IO_PENDING);
    assert_int_equal(WahWaitForNotification(helper, b, &ov_b, NULL), ERROR_IO_PENDING);
    assert_int_equal(WaitForSingleObject(ov_a.hEvent, 0), WAIT_TIMEOUT);
    assert_int_equal(WahNotifyAllProcesses(helper), NO_ERROR);
    assert_int_equal(WaitForSingleObject(ov_a.hEvent, 5000), WAIT_OBJECT_0);
    assert_int_equal(WaitForSingleObject(ov_b.hEvent, 5000), WAIT_OBJECT_0);
    /* The next wait waits for the next change, not the one already reported. */
    ResetEvent(ov_a.hEvent);
    assert_int_equal(WahWaitForNotification(helper, a, &ov_a, NULL), ERROR_IO_PENDING);
    assert_int_equal(WaitForSingleObject(ov_a.hEvent, 100), WAIT_TIMEOUT);
    assert_int_equal(WahNotifyAllProcesses(helper), NO_ERROR);
    assert_int_equal(WaitForSingleObject(ov_a.hEvent, 5000), WAIT_OBJECT_0);
    CloseHandle(a);
    CloseHandle(b);
    CloseHandle(ov_a.hEvent);
    CloseHandle(ov_b.hEvent);
    assert_int_equal(WahCloseNotificationHandleHelper(helper), NO_ERROR);
}

struct blocked_wait {
    HANDLE helper, handle;
    volatile DWORD result;
};

static DWORD WINAPI blocking_waiter(void *arg)
{
    struct blocked_wait *w = arg;
    w->result = WahWaitForNotification(w->helper, w->handle, NULL, NULL);
    return 0;
}

static void test_a_wait_without_overlapped_blocks_until_a_change(void **state)
{
    struct blocked_wait w = {0};
    HANDLE thread;
    (void)state;
    w.result = 0xdead;
    assert_int_equal(WahOpenNotificationHandleHelper(&w.helper), NO_ERROR);
    assert_int_equal(WahCreateNotificationHandle(w.helper, &w.handle), NO_ERROR);
    thread = CreateThread(NULL, 0, blocking_waiter, &w, 0, NULL);
    /* Notify until the waiter has been reached (it may not be listening yet). */
    for (int i = 0; i < 500 && WaitForSingleObject(thread, 10) == WAIT_TIMEOUT; i++)
        assert_int_equal(WahNotifyAllProcesses(w.helper), NO_ERROR);
    assert_int_equal(WaitForSingleObject(thread, 5000), WAIT_OBJECT_0);
    assert_int_equal(w.result, NO_ERROR);
    CloseHandle(thread);
    CloseHandle(w.handle);
}

static volatile LONG routine_runs;
static volatile DWORD routine_error = 0xdead;

static void CALLBACK notified(DWORD error, DWORD transferred, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)transferred;
    (void)ov;
    (void)flags;
    routine_error = error;
    InterlockedIncrement(&routine_runs);
}

static void test_a_wait_with_a_completion_routine_runs_it_after_a_change(void **state)
{
    HANDLE helper, handle;
    WSAOVERLAPPED ov = {0};
    (void)state;
    routine_runs = 0;
    assert_int_equal(WahOpenNotificationHandleHelper(&helper), NO_ERROR);
    assert_int_equal(WahCreateNotificationHandle(helper, &handle), NO_ERROR);
    assert_int_equal(WahWaitForNotification(helper, handle, &ov, notified), ERROR_IO_PENDING);
    assert_int_equal(SleepEx(0, TRUE), 0);
    assert_int_equal(routine_runs, 0);
    assert_int_equal(WahNotifyAllProcesses(helper), NO_ERROR);
    /* The routine runs in this thread's alertable wait. */
    for (int i = 0; i < 500 && !routine_runs; i++) SleepEx(10, TRUE);
    assert_int_equal(routine_runs, 1);
    assert_int_equal(routine_error, 0);
    CloseHandle(handle);
}

static void test_notification_calls_with_bad_arguments_fail_with_ERROR_INVALID_PARAMETER(
    void **state)
{
    HANDLE helper, handle = NULL;
    OVERLAPPED ov = {0};
    (void)state;
    assert_int_equal(WahOpenNotificationHandleHelper(NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(WahOpenNotificationHandleHelper(&helper), NO_ERROR);
    assert_int_equal(WahCloseNotificationHandleHelper((HANDLE)0x1234), ERROR_INVALID_PARAMETER);
    assert_int_equal(WahCreateNotificationHandle((HANDLE)0x1234, &handle), ERROR_INVALID_PARAMETER);
    assert_int_equal(WahCreateNotificationHandle(helper, NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(WahWaitForNotification(helper, NULL, &ov, NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(WahNotifyAllProcesses((HANDLE)0x1234), ERROR_INVALID_PARAMETER);
}

static void test_WahWriteLSPEvent_succeeds(void **state)
{
    (void)state;
    assert_int_equal(WahWriteLSPEvent(), NO_ERROR);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_a_created_table_finds_an_inserted_context_by_its_handle),
    cmocka_unit_test(test_reference_of_an_unknown_handle_returns_NULL),
    cmocka_unit_test(test_insert_of_a_handle_already_there_replaces_and_returns_the_old_context),
    cmocka_unit_test(test_remove_takes_the_context_out_and_fails_the_second_time),
    cmocka_unit_test(test_remove_of_another_context_with_the_same_handle_fails),
    cmocka_unit_test(test_table_calls_with_bad_arguments_fail_with_ERROR_INVALID_PARAMETER),
    cmocka_unit_test(test_thousands_of_contexts_are_found_and_removed),
    cmocka_unit_test(test_enumerate_visits_every_context_once_and_returns_TRUE),
    cmocka_unit_test(test_enumerate_stops_when_the_callback_returns_FALSE),
    cmocka_unit_test(test_the_enumerate_callback_may_remove_every_context),
    cmocka_unit_test(test_threads_inserting_and_removing_at_once_lose_nothing),
    cmocka_unit_test(test_a_queued_apc_runs_when_the_thread_waits_alertably),
    cmocka_unit_test(test_an_apc_queued_from_another_thread_runs_on_the_opened_thread),
    cmocka_unit_test(test_apc_helper_calls_with_bad_arguments_fail_with_ERROR_INVALID_PARAMETER),
    cmocka_unit_test(test_the_handle_helper_fails_as_on_windows_without_the_ws2ifsl_driver),
    cmocka_unit_test(test_socket_handles_without_a_handle_helper_fail_with_ERROR_INVALID_PARAMETER),
    cmocka_unit_test(test_WahCompleteRequest_completes_the_overlapped_and_sets_its_event),
    cmocka_unit_test(test_notify_all_processes_completes_every_waiting_listener),
    cmocka_unit_test(test_a_wait_without_overlapped_blocks_until_a_change),
    cmocka_unit_test(test_a_wait_with_a_completion_routine_runs_it_after_a_change),
    cmocka_unit_test(test_notification_calls_with_bad_arguments_fail_with_ERROR_INVALID_PARAMETER),
    cmocka_unit_test(test_WahWriteLSPEvent_succeeds),
};

WS_TEST_MAIN(tests, ws_test_startup, ws_test_cleanup)
