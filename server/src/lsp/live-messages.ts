/**
 * The live-check messages of `shared/protocol.ts`: the client's
 * `irsa/refreshLiveClusters` request and `irsa/workspaceTrusted`
 * notification. (`irsa/liveStatus` is sent by `live.ts`.)
 */
import { LIVE_STATUS_NOTIFICATION, REFRESH_LIVE_CLUSTERS_REQUEST, WORKSPACE_TRUSTED_NOTIFICATION } from '../../../shared/protocol';
import { notificationType0, requestType0 } from './convert';
import type { Feature } from './feature';
import { guard } from './log';

export const LIVE_MESSAGES: Feature = {
  methods: [REFRESH_LIVE_CLUSTERS_REQUEST.method, WORKSPACE_TRUSTED_NOTIFICATION.method, LIVE_STATUS_NOTIFICATION.method],
  register: (connection, { live, log, guard: guardRequest }) => {
    connection.onNotification(notificationType0(WORKSPACE_TRUSTED_NOTIFICATION), guard(log, WORKSPACE_TRUSTED_NOTIFICATION.method, () => live.grantTrust()));
    connection.onRequest(requestType0(REFRESH_LIVE_CLUSTERS_REQUEST), guardRequest(REFRESH_LIVE_CLUSTERS_REQUEST.method, null, () => live.refresh({ force: true })));
  },
};
