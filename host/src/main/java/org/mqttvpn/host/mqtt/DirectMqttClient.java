package org.mqttvpn.host.mqtt;

import java.util.function.UnaryOperator;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.internal.NetworkModule;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Paho's client, with each connection's network module (Paho creates one per connect)
 * wrapped by the given function: the hook through which {@link DirectPath} joins the
 * connection. {@code createNetworkModules} is Paho's protected extension point for this.
 */
final class DirectMqttClient extends MqttAsyncClient {
    private final UnaryOperator<NetworkModule> wrap;

    DirectMqttClient(String serverUri, String clientId, UnaryOperator<NetworkModule> wrap) throws MqttException {
        super(serverUri, clientId, new MemoryPersistence());
        this.wrap = wrap;
    }

    @Override
    protected NetworkModule[] createNetworkModules(String address, MqttConnectOptions options) throws MqttException {
        NetworkModule[] modules = super.createNetworkModules(address, options);
        for (int i = 0; i < modules.length; i++) {
            modules[i] = wrap.apply(modules[i]);
        }
        return modules;
    }
}
