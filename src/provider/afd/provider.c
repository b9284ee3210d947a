/* The built-in AFD transport provider's procedure table. Slots left NULL are not provided yet:
   the API layer answers them with WSAEOPNOTSUPP. */
#include "openws2/afd_provider.h"

const struct ws_provider afd_provider = {
    .name = "AFD (built-in)",
    .procs = {
        .lpWSPAccept = afd_accept,
        .lpWSPAsyncSelect = afd_async_select,
        .lpWSPBind = afd_bind,
        .lpWSPCleanup = afd_cleanup,
        .lpWSPCloseSocket = afd_closesocket,
        .lpWSPConnect = afd_connect,
        .lpWSPEnumNetworkEvents = afd_enum_network_events,
        .lpWSPEventSelect = afd_event_select,
        .lpWSPGetOverlappedResult = afd_get_overlapped_result,
        .lpWSPGetPeerName = afd_getpeername,
        .lpWSPGetSockName = afd_getsockname,
        .lpWSPGetSockOpt = afd_getsockopt,
        .lpWSPGetQOSByName = afd_get_qos_by_name,
        .lpWSPIoctl = afd_ioctl,
        .lpWSPJoinLeaf = afd_join_leaf,
        .lpWSPListen = afd_listen,
        .lpWSPRecv = afd_recv,
        .lpWSPRecvFrom = afd_recvfrom,
        .lpWSPSelect = afd_select,
        .lpWSPSend = afd_send,
        .lpWSPSendTo = afd_sendto,
        .lpWSPSetSockOpt = afd_setsockopt,
        .lpWSPShutdown = afd_shutdown,
        .lpWSPSocket = afd_socket,
    },
};
