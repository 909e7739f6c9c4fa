/* stands for the component's public header */
