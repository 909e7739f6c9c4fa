package org.mqttvpn.host.mqtt;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * One check whether the home broker answers, while the node's session is on another broker:
 * an MQTT CONNECT of a client of its own (the node's credentials, the id {@link ClientIds#probe}),
 * so that the session stays where it is until the home broker is known to answer. It runs in
 * Paho's threads: starting it returns at once, and {@code done} is notified (under its monitor)
 * when the answer is in, so the link keeps watching its own connection meanwhile.
 */
final class HomeProbe implements AutoCloseable {
    private enum State { PENDING, ANSWERED, FAILED }

    private final Object done;
    private final MqttAsyncClient client;
    private volatile State state = State.PENDING;
    private volatile String failure;

    /** Starts connecting to {@code home}; failures to even start are a failed probe. */
    HomeProbe(BrokerUri home, String clientId, MqttConnectOptions options, Object done) {
        this.done = done;
        MqttAsyncClient c = null;
        try {
            c = new MqttAsyncClient(home.pahoUri(), ClientIds.probe(clientId), new MemoryPersistence());
            c.connect(options, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    finish(State.ANSWERED, null);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    finish(State.FAILED, e instanceof MqttException m ? BrokerLink.describe(m) : String.valueOf(e));
                }
            });
        } catch (MqttException e) {
            finish(State.FAILED, BrokerLink.describe(e));
        }
        this.client = c;
    }

    private void finish(State result, String why) {
        synchronized (done) {
            failure = why;
            state = result;
            done.notifyAll();
        }
    }

    boolean pending() {
        return state == State.PENDING;
    }

    boolean answered() {
        return state == State.ANSWERED;
    }

    /** Why it failed (null while pending or after an answer). */
    String failure() {
        return failure;
    }

    /** Leaves the home broker again (or gives up the attempt) and frees the client. */
    @Override
    public void close() {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect(0).waitForCompletion(1000);
            }
        } catch (MqttException | RuntimeException ignored) {
            // best effort: the home broker drops the connection when the socket closes
        }
        try {
            client.disconnectForcibly(0, 100);
        } catch (MqttException | RuntimeException ignored) {
            // not connected
        }
        try {
            client.close(true);
        } catch (MqttException | RuntimeException ignored) {
            // already released
        }
    }
}
